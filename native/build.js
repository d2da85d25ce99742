// Placeholder until the native OpenBLAS addon lands: the build step must never fail `npm ci`.
console.log('vthinker: native kernels not built (not implemented yet); training uses the JS kernels');
