// The policy's hyper-parameters: plain JSON, stored inside every weights manifest so a checkpoint rebuilds its model.

export interface PolicyConfig {
  /** Token vocabulary size (ids 0..vocab-1; the caller's tokenizer decides what they mean). */
  vocab: number;
  /** Longest token sequence the position embedding covers. */
  maxSeq: number;
  /** Most images per example (the original + sandbox outputs). */
  maxImages: number;
  /** Image side in pixels (HWC float input in [0, 1], from toModelInput). */
  imageSide: number;
  /** Conv channels; every conv is 3x3, `strides[i]` each. The last output is the grid of image tokens. */
  convChannels: number[];
  convStrides: number[];
  /** Append x/y coordinate channels to the image (CoordConv): lets features carry exact positions inside a cell. */
  coordChannels: boolean;
  /**
   * One pooled token per image beside its grid (mean and max of the last conv's features over the grid, projected):
   * quantities spread over the image (how many dots, whether a drawn line crosses anything) are a linear read of
   * it, where from the grid a softmax attention would have to add cells up. Absent in older manifests (= false).
   */
  pooledToken?: boolean;
  /** Transformer width, depth, heads; MLP hidden = mlpRatio * dim. */
  dim: number;
  layers: number;
  heads: number;
  mlpRatio: number;
}

/**
 * The default, sized by bench/policy.ts on 2 cores (numbers in the report there): three stride-2 convs give an 8x8
 * grid of image tokens; sub-cell precision comes from the conv features themselves (a mark's offset inside its
 * cell changes them) plus CoordConv channels. d 64, 2 layers, 4 heads: ~200k parameters, ~300-400 examples/s of
 * training on one worker for short sequences, so a stage of a few minutes gets thousands of steps.
 */
export const defaultPolicyConfig: PolicyConfig = {
  vocab: 256,
  maxSeq: 64,
  maxImages: 3,
  imageSide: 64,
  convChannels: [24, 48, 64],
  convStrides: [2, 2, 2],
  coordChannels: true,
  dim: 64,
  layers: 2,
  heads: 4,
  mlpRatio: 4,
};

export function gridSide(c: PolicyConfig): number {
  return c.convStrides.reduce((side, s) => Math.ceil(side / s), c.imageSide);
}

export function validateConfig(c: PolicyConfig): PolicyConfig {
  const bad = (msg: string) => {
    throw new Error(`policy config: ${msg}`);
  };
  if (c.dim % c.heads !== 0) bad(`dim ${c.dim} is not divisible by heads ${c.heads}`);
  if (c.convChannels.length !== c.convStrides.length || c.convChannels.length === 0) bad('convChannels and convStrides need the same, non-zero length');
  for (const k of ['vocab', 'maxSeq', 'maxImages', 'imageSide', 'dim', 'layers', 'heads', 'mlpRatio'] as const) {
    if (!Number.isInteger(c[k]) || c[k] < 1) bad(`${k} must be a positive integer, got ${c[k]}`);
  }
  return c;
}
