{
  "targets": [
    {
      "target_name": "hapticKernel",
      "sources": ["hapticKernel.c"],
      "cflags": ["-O3", "-march=native", "-ffp-contract=off", "-fno-fast-math", "-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"]
    }
  ]
}
