// Gradient averaging between replicas through one SharedArrayBuffer (COMPUTE.md §3). Layout: Int32[4] control words
// (arrivals, generation), then `world` slots of nParams floats. Every replica sums the slots in rank order, so all
// of them compute bit-identical averages; a second barrier keeps a fast replica from overwriting a slot still read.
export class GradExchange {
  private readonly ctl: Int32Array;
  private readonly slots: Float32Array[];

  static bytes(world: number, nParams: number): number {
    return 16 + world * nParams * 4;
  }

  constructor(sab: SharedArrayBuffer, private readonly rank: number, private readonly world: number, readonly nParams: number) {
    this.ctl = new Int32Array(sab, 0, 4);
    this.slots = Array.from({ length: world }, (_, r) => new Float32Array(sab, 16 + r * nParams * 4, nParams));
  }

  /** This replica's slot, to be filled before average(). */
  get mine(): Float32Array {
    return this.slots[this.rank]!;
  }

  /** Waits for every replica's slot, then returns (slot_0 + ... + slot_{w-1}) / w. */
  average(): Float32Array {
    this.barrier();
    const out = Float32Array.from(this.slots[0]!);
    for (let r = 1; r < this.world; r++) {
      const slot = this.slots[r]!;
      for (let i = 0; i < out.length; i++) out[i] += slot[i]!;
    }
    const scale = 1 / this.world;
    for (let i = 0; i < out.length; i++) out[i] *= scale;
    this.barrier();
    return out;
  }

  private barrier(): void {
    const generation = Atomics.load(this.ctl, 1);
    if (Atomics.add(this.ctl, 0, 1) === this.world - 1) {
      Atomics.store(this.ctl, 0, 0);
      Atomics.add(this.ctl, 1, 1);
      Atomics.notify(this.ctl, 1);
    } else {
      while (Atomics.load(this.ctl, 1) === generation) Atomics.wait(this.ctl, 1, generation);
    }
  }
}
