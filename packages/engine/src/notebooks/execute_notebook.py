"""Executes a notebook headless, like `jupyter nbconvert --to notebook --execute --allow-errors`, but keeps the
outputs a kernel publishes after it reported the cell done.

Why not nbconvert: nbclient stops reading a cell's outputs at the kernel's `status: idle` and drops any message
for a cell it has left. Deno's kernel (2.x) publishes a cell's `execute_result` and `display_data` from the
JavaScript thread while its shell loop sends `idle` from another, so the result can arrive after `idle` (measured:
5 of 20 one-line cells on an idle machine; under load, charts vanished from stored notebooks and CI failed). Here
an output that arrives late is still routed, by its parent message id, to the cell that produced it, and after
the last cell the client waits until the kernel has been quiet for a moment.

Usage: execute_notebook.py NOTEBOOK OUT KERNEL TIMEOUT_S
"""
import os
import queue
import sys

import nbformat
from jupyter_core.utils import ensure_async
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionComplete

# After the last cell: how long the kernel must stay silent before the notebook is written. The late messages seen
# arrive within milliseconds; a second leaves room for a loaded machine.
QUIET_S = 1.0


class LateOutputClient(NotebookClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.cell_of_request = {}

    def route_late(self, msg):
        """Gives a message for a cell already left to that cell; status and input echoes carry no output."""
        target = self.cell_of_request.get(msg['parent_header'].get('msg_id'))
        if target is None or msg['msg_type'] in ('status', 'execute_input'):
            return
        try:
            self.process_message(msg, *target)
        except CellExecutionComplete:
            pass

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        self.cell_of_request[parent_msg_id] = (cell, cell_index)
        while True:
            msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
            if msg['parent_header'].get('msg_id') != parent_msg_id:
                self.route_late(msg)
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                return

    async def async_execute_cell(self, cell, cell_index, *args, **kwargs):
        result = await super().async_execute_cell(cell, cell_index, *args, **kwargs)
        if cell_index == len(self.nb.cells) - 1:
            await self.drain_late_outputs()
        return result

    async def drain_late_outputs(self):
        while True:
            try:
                msg = await ensure_async(self.kc.iopub_channel.get_msg(timeout=QUIET_S))
            except queue.Empty:
                return
            self.route_late(msg)


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__.strip().splitlines()[-1])
    notebook, out, kernel, timeout = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    nb = nbformat.read(notebook, as_version=4)
    # The kernel starts in the notebook's folder, as under nbconvert and Jupyter itself.
    resources = {'metadata': {'path': os.path.dirname(os.path.abspath(notebook))}}
    # No per-cell timestamps: the same inputs give the same executed copy.
    client = LateOutputClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True, record_timing=False, resources=resources)
    client.execute()
    nbformat.write(nb, out)


if __name__ == '__main__':
    main()
