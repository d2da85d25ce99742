// Kernel layering on a tfjs backend: each layer wraps the kernel below it and falls back to it for cases it does
// not handle. The backend's original configs are kept, so installing a different stack later (wasm+js after
// wasm+native, say) rebuilds every kernel from the original rather than wrapping wrappers.
import * as tf from '@tensorflow/tfjs-core';
import type { KernelConfig, KernelFunc } from '@tensorflow/tfjs-core';

/** Kernel name -> a kernel built on `next` (the kernel below; undefined where the backend has none). */
export type KernelLayer = Readonly<Record<string, (next: KernelFunc | undefined) => KernelFunc>>;

const originals = new Map<string, KernelConfig | null>();

/** Replaces every kernel the layers name (and restores ones an earlier call touched); returns the names. */
export function installKernelLayers(backendName: string, layers: readonly KernelLayer[]): string[] {
  const touched = [...originals.keys()].filter((key) => key.startsWith(`${backendName}/`)).map((key) => key.slice(backendName.length + 1));
  const names = [...new Set([...touched, ...layers.flatMap((layer) => Object.keys(layer))])].sort();
  for (const name of names) {
    const key = `${backendName}/${name}`;
    if (!originals.has(key)) originals.set(key, tf.getKernel(name, backendName) ?? null);
    const original = originals.get(key) ?? null;
    let kernelFunc: KernelFunc | undefined = original?.kernelFunc;
    for (const layer of layers) kernelFunc = layer[name]?.(kernelFunc) ?? kernelFunc;
    if (tf.getKernel(name, backendName)) tf.unregisterKernel(name, backendName);
    // Keeping setupFunc/disposeFunc matters: wasm kernels bind their wasm functions in setupFunc.
    if (kernelFunc) tf.registerKernel({ ...(original ?? { kernelName: name, backendName }), kernelFunc });
  }
  return names;
}

/** Runs `next`, or says which case no kernel handles (a kernel the backend lacks, reached with unsupported attrs). */
export function fallback(name: string, next: KernelFunc | undefined): KernelFunc {
  return (args) => {
    if (!next) throw new Error(`${name}: no kernel on this backend handles these inputs/attributes`);
    return next(args);
  };
}
