// Architecture file for the Faust peers (faust -a faustBench.cpp): renders `seconds` (argv[1]) of the
// same stereo noise as fdn.bench.ts through the generated DSP in 512-frame blocks, `runs` (argv[2])
// times after one warm-up run, and prints the median real-time factor by CPU time and by wall time:
//   peer <name> realtime_factor <wall> cpu_realtime_factor <cpu>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>
#include "faust/dsp/dsp.h"
#include "faust/gui/meta.h"
#include "faust/gui/UI.h"

<<includeIntrinsic>>

<<includeclass>>

static double seconds_of(clockid_t clock) {
  timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

int main(int argc, char* argv[]) {
  const double seconds = argc > 1 ? atof(argv[1]) : 10;
  const int runs = argc > 2 ? atoi(argv[2]) : 5;
  const char* name = argc > 3 ? argv[3] : "faust";
  const int rate = 48000, block = 512;
  const long blocks = (long)std::ceil(seconds * rate / block);
  mydsp dsp;
  dsp.init(rate);
  std::vector<FAUSTFLOAT> in[2], out[2];
  unsigned x = 12345;
  for (int c = 0; c < 2; c++) {
    in[c].resize(block);
    out[c].resize(block);
    for (int i = 0; i < block; i++) {
      x = x * 1103515245u + 12345u;
      in[c][i] = (FAUSTFLOAT)((x / 4294967296.0 - 0.5) * 0.5);
    }
  }
  FAUSTFLOAT* ins[2] = {in[0].data(), in[1].data()};
  FAUSTFLOAT* outs[2] = {out[0].data(), out[1].data()};
  std::vector<double> wall, cpu;
  double sink = 0;
  for (int r = 0; r <= runs; r++) {
    const double w0 = seconds_of(CLOCK_MONOTONIC), c0 = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
    for (long b = 0; b < blocks; b++) dsp.compute(block, ins, outs);
    const double w1 = seconds_of(CLOCK_MONOTONIC), c1 = seconds_of(CLOCK_PROCESS_CPUTIME_ID);
    sink += outs[0][block - 1];
    if (r > 0) {
      wall.push_back(seconds / (w1 - w0));
      cpu.push_back(seconds / (c1 - c0));
    }
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  printf("peer %s realtime_factor %.1f cpu_realtime_factor %.1f\n", name, wall[wall.size() / 2], cpu[cpu.size() / 2]);
  return sink == 12345.678 ? 1 : 0;
}
