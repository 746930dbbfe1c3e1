{
  "targets": [
    {
      "target_name": "hapticKernels",
      "type": "static_library",
      "sources": ["hapticKernel.c"],
      "cflags": ["-fPIC", "-fvisibility=hidden", "-O3", "-march=native", "-ffp-contract=off", "-fno-fast-math", "-fno-math-errno", "-Wall", "-Wextra", "-std=gnu11"]
    },
    {
      "target_name": "hapticKernel",
      "sources": ["hapticKernelAddon.c"],
      "dependencies": ["hapticKernels"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"]
    }
  ]
}
