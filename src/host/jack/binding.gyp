{
  "targets": [
    {
      "target_name": "jackClient",
      "sources": ["jackClient.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"],
      "libraries": ["-ljack", "-lpthread"]
    }
  ]
}
