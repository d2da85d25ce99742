# Runs one sandboxed program: sets the resource limits, installs the audit hook, then executes the model's code with
# `image_path` naming a read-only copy of the input in the working folder. Started by python.ts (directly or inside
# launch.sh's namespaces); see ../README.md for what this does and does not guarantee.
# argv: code file, input image name, limits as JSON {cpu_s, memory_bytes, file_bytes, processes}.
import ast
import builtins
import json
import os
import resource
import sys

code_file, image_name, limits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])


def cap(kind, value, hard_extra=0):
    if value and value > 0:
        resource.setrlimit(kind, (value, value + hard_extra))


# Hard limits equal to soft ones, so the program cannot raise them again. CPU time alone gets one second more: at a
# soft limit equal to the hard one the kernel sends SIGKILL, which cannot be told from a memory kill; below it, it
# sends SIGXCPU first, which python.ts reports as the CPU limit (a program catching SIGXCPU gains a second at most).
cap(resource.RLIMIT_CPU, limits["cpu_s"], 1)
cap(resource.RLIMIT_AS, limits["memory_bytes"])
cap(resource.RLIMIT_FSIZE, limits["file_bytes"])
cap(resource.RLIMIT_NPROC, limits["processes"])
cap(resource.RLIMIT_CORE, 0)

WORK = os.path.realpath(os.getcwd())
TMP = os.path.realpath(os.environ.get("TMPDIR", WORK))
WRITABLE = tuple(p.rstrip("/") + "/" for p in {WORK, TMP})
# Reads the libraries need (numpy, PIL, matplotlib, OpenCV): the interpreter's own folders and a few system files.
READABLE = WRITABLE + tuple(
    p.rstrip("/") + "/"
    for p in {sys.prefix, sys.base_prefix, sys.exec_prefix, "/usr", "/etc/alternatives", "/etc/fonts", "/sys/devices/system/cpu", "/proc/self"}
    | {os.path.realpath(p) for p in sys.path if p}
) + ("/etc/matplotlibrc", "/etc/ld.so.cache", "/dev/null", "/dev/urandom")
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
PATH_EVENTS = {"os.remove", "os.rmdir", "os.mkdir", "os.rename", "os.symlink", "os.link", "os.truncate", "os.chmod", "os.chown", "os.utime", "shutil.rmtree", "shutil.move", "shutil.copyfile"}
DENIED_EVENTS = {
    "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "os.kill", "os.killpg", "os.setuid",
    "subprocess.Popen", "pty.spawn", "ctypes.dlopen", "ctypes.dlsym", "ctypes.cdata", "ctypes.call_function",
    "socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.sendto", "sys.remote_exec",
}
DENIED_MODULES = {
    "socket", "_socket", "ssl", "subprocess", "_posixsubprocess", "ctypes", "_ctypes", "multiprocessing", "pty", "resource",
    "asyncio", "http", "urllib", "ftplib", "smtplib", "telnetlib", "requests", "builtins", "importlib", "signal", "mmap",
}


def within(path, roots):
    full = os.path.realpath(os.fsdecode(path))
    return any(full + "/" == r or full.startswith(r) for r in roots) or full in roots


def hook(event, args):
    if event == "open":
        path, mode, flags = args
        if path is None or isinstance(path, int):
            return
        write = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (isinstance(flags, int) and flags & WRITE_FLAGS)
        if not within(path, WRITABLE if write else READABLE):
            raise PermissionError(f"the sandbox does not allow {'writing' if write else 'reading'} {os.fsdecode(path)}: use the working folder")
    elif event in PATH_EVENTS:
        for p in args:
            if isinstance(p, (str, bytes)) and not within(p, WRITABLE):
                raise PermissionError(f"the sandbox does not allow {event} on {os.fsdecode(p)}: use the working folder")
    elif event in DENIED_EVENTS:
        raise PermissionError(f"the sandbox does not allow {event}")


def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level == 0 and name.split(".")[0] in DENIED_MODULES:
        raise ImportError(f"the sandbox does not allow importing {name}")
    return builtins.__import__(name, globals, locals, fromlist, level)


class ImagePath(ast.NodeTransformer):
    """`image_path = '<a path that is not there>'` (the prompt's path, or one the model made up) -> the input copy."""

    def visit_Assign(self, node):
        if any(isinstance(t, ast.Name) and t.id == "image_path" for t in node.targets):
            v = node.value
            if isinstance(v, ast.Constant) and isinstance(v.value, str) and not os.path.isfile(v.value):
                node.value = ast.copy_location(ast.Constant(image_name), v)
        return node


def fail(message):
    sys.stderr.write(f"\n{message}\n")
    sys.stderr.flush()
    os._exit(1)


import ctypes  # noqa: E402,F401 - numpy imports it; importing it runs dlopen, which the hook refuses afterwards

with open(code_file, encoding="utf-8", errors="replace") as f:
    source = f.read()
try:
    tree = ImagePath().visit(ast.parse(source, "<sandbox>"))
    program = compile(ast.fix_missing_locations(tree), "<sandbox>", "exec")
except SyntaxError as e:
    fail(f"SyntaxError: {e.msg} (line {e.lineno})")
except (ValueError, RecursionError, MemoryError) as e:
    fail(f"{type(e).__name__}: the code cannot be compiled")

sys.addaudithook(hook)
scope = {"__name__": "__main__", "__builtins__": {**vars(builtins), "__import__": guarded_import}, "image_path": image_name}
try:
    exec(program, scope)
    plt = sys.modules.get("matplotlib.pyplot")
    # A figure drawn but never saved (plt.show() under the Agg backend) still comes back, as the paper's sandbox does.
    if plt is not None and plt.get_fignums() and not any(n.lower().endswith((".png", ".jpg", ".jpeg")) for n in os.listdir(WORK) if n != image_name):
        for k in plt.get_fignums():
            plt.figure(k).savefig(f"figure-{k}.png")
    sys.stdout.flush()
except SystemExit as e:
    if e.code not in (None, 0):
        fail(f"SystemExit: exit status {e.code}")
except BaseException as e:  # noqa: BLE001 - every failure becomes one line for the model
    tb = e.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<sandbox>":
            line = tb.tb_lineno
        tb = tb.tb_next
    detail = str(e) or ("over the memory limit" if isinstance(e, MemoryError) else "")
    fail(type(e).__name__ + (f": {detail}" if detail else "") + (f" (line {line})" if line else ""))
