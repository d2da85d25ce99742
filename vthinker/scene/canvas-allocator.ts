// @napi-rs/canvas allocates through its own mimalloc, which asks the kernel for transparent huge pages on its
// arenas. A freed 256 KB image buffer is purged after 10 ms and the next one faults a fresh 2 MB page in, which the
// kernel zeroes whole: on our 2-core VMs a 256x256 getImageData then took 2 ms instead of 0.04, and rendering rl1's
// batches spent a third of its time in the kernel (sys 30 ms of an 80 ms batch; 5 ms with this, docs/speed.md).
// Pixels do not depend on it. A value set by the user wins. Read once, when the native module initialises.
process.env.MIMALLOC_ALLOW_THP ??= '0';
