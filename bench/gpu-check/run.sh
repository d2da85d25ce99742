#!/usr/bin/env bash
# The GPU check on a bare machine (no Node.js, no network): unpacks bench/gpu-check/carry/ (made by prepare.sh),
# finds the NVIDIA Vulkan driver, and runs the check bundle (bench/webgpu.ts): adapter, parity, train-step timings.
# Results go to $OUT (default bench/gpu-check/out). Extra arguments go to the check, e.g. --batches 32,128,512.
#   DRY_RUN=1 bench/gpu-check/run.sh --profiles tiny --batches 8 --parity smoke   (here, on lavapipe)
set -uo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
carry="$repo/bench/gpu-check/carry"
out="${OUT:-$repo/bench/gpu-check/out}"
mkdir -p "$out"
[ -f "$carry/node.xz" ] || { echo "no $carry/node.xz: run bench/gpu-check/prepare.sh first" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
exec > >(tee "$out/run.log") 2>&1

xz -dc "$carry/node.xz" >"$work/node" && chmod +x "$work/node"
mkdir -p "$work/app/node_modules" "$work/sys"
tar -C "$work/app/node_modules" -xJf "$carry/webgpu.tar.xz"
tar -C "$work/app" -xJf "$carry/check.tar.xz"
for deb in "$carry"/debs/*.deb; do
  [ -e "$deb" ] || continue
  if command -v dpkg >/dev/null; then dpkg -x "$deb" "$work/sys"
  else (cd "$work/sys" && ar x "$deb" data.tar.xz && tar -xJf data.tar.xz && rm data.tar.xz); fi
done
# The system's libraries first (a libvulkan1 the machine has wins), ours after; OpenBLAS's pthread build by path.
export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}$work/sys/usr/lib/x86_64-linux-gnu:$work/sys/usr/lib/x86_64-linux-gnu/openblas-pthread"
for icd in /usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json /usr/share/vulkan/icd.d/nvidia_icd.json /etc/vulkan/icd.d/nvidia_icd.json; do
  if [ -z "${DRY_RUN:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES="$icd"; break; fi
done
echo "node $("$work/node" --version); VK_DRIVER_FILES=${VK_DRIVER_FILES:-(loader default)}"
command -v nvidia-smi >/dev/null && nvidia-smi -L
nproc; free -g | head -2

cd "$work/app"
args=("$@")
[ -n "${DRY_RUN:-}" ] && args=(--allow-software "${args[@]}")
VTHINKER_GPU_CHECK=1 "$work/node" vthinker/compute/check.mjs --policies policies.json --out "$out" "${args[@]}"
status=$?
if [ $status -ne 0 ]; then
  echo "check failed ($status): the Vulkan loader's view of the drivers follows"
  VK_LOADER_DEBUG=driver "$work/node" --input-type=module -e "import('webgpu').then(async ({ create }) => { const a = await create([]).requestAdapter(); console.log(a ? JSON.stringify({ vendor: a.info.vendor, architecture: a.info.architecture, description: a.info.description }) : 'no adapter'); process.exit(0); })" 2>&1 | tail -40
fi
exit $status
