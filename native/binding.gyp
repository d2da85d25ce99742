{
  "targets": [
    {
      "target_name": "kern",
      "sources": ["kern.c"],
      "cflags": ["-O3", "-march=native", "-std=gnu11", "-fno-math-errno", "-mprefer-vector-width=256"],
      "libraries": ["-lopenblas", "-lmvec", "-lm"]
    }
  ]
}
