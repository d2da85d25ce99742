// The policy model's public surface.
export { collate, asTensors, type PolicyExample, type PolicyHostBatch, type PolicyTensors, type CollateOptions } from './batch.ts';
export { defaultPolicyConfig, gridSide, validateConfig, type PolicyConfig } from './config.ts';
export { createPolicy, argmax, sample, type Policy, type GenerateOptions, type Generation } from './policy.ts';
export { saveWeights, loadWeights, assignWeights, readManifest, WEIGHTS_FORMAT, type WeightsManifest } from './weights.ts';
