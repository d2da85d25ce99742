// The sandbox's public API in one import.
export { createSandbox, type Sandbox, type SandboxOptions, type SandboxResult } from './sandbox.ts';
export { extractCode } from './code-block.ts';
export { DEFAULT_LIMITS, type SandboxLimits } from './limits.ts';
