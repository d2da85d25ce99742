{
  "targets": [
    {
      "target_name": "kern",
      "sources": ["kern.c"],
      "cflags": ["-O3", "-march=native", "-std=gnu11"],
      "libraries": ["-lopenblas"]
    }
  ]
}
