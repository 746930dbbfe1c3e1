/*
 * The C peer of the `haptic` benchmark (haptic.bench.ts): the same work, block-structured as our engine
 * is, in plain C for gcc -O3 -march=native. 32 transducers (8 x 4 grid, 5 cm), 8 travelling stimuli
 * (each a sine computed in double by quadrature rotation, re-anchored every 4096 samples, stored as
 * float into a linear history; every transducer adds g*((1-f)*x[n-D] + f*x[n-D-1]) in float at its
 * distance / 100 m/s), 4 standing stimuli (their sines summed onto one bus, added to every transducer
 * with its gain), spans of 64 frames with one stimulus's taps recomputed per span, then per 128-frame
 * block the clip to +-1 with the FLT_MIN flush, the per-transducer peak and sum of squares, and a copy
 * to 32 output buffers.
 * Usage: hapticPeer <seconds> <runs> <name>; prints "peer <name> realtime_factor <wall> cpu_realtime_factor <cpu>".
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { RATE = 48000, BLOCK = 128, SPAN = 64, NT = 32, NTRAV = 8, NSTAND = 4, ANCHOR = 4096 };
enum { HIST_KEEP = 2048, HIST_LEN = HIST_KEEP + 4096 };

typedef struct { double g, c, s, cs, ss, omega; long age; } Sine;

static float out[NT][BLOCK], outputs[NT][BLOCK], bus[BLOCK];
static float hist[NTRAV][HIST_LEN];
static int delay[NTRAV][NT];
static float c0[NTRAV][NT], c1[NTRAV][NT], standGain[NT];
static double tx[NT], ty[NT], sx[NTRAV], sy[NTRAV];
static Sine trav[NTRAV], stand[NSTAND];
static long writeIndex = HIST_KEEP;
static float peak[NT], sumsq[NT];
static long clipped;

static void start(Sine* o, int note, double amp) {
  o->omega = 2 * M_PI * 440 * pow(2, (note - 69) / 12.0) / RATE;
  o->g = amp; o->c = 1; o->s = 0; o->cs = cos(o->omega); o->ss = sin(o->omega); o->age = 0;
}

/* n samples of g*sin into dst (stored, or added when accumulate), flushed below 1e-30. */
static void sineRun(Sine* o, float* dst, int n, int accumulate) {
  for (int i = 0; i < n; i++) {
    double v = o->g * o->s;
    if (fabs(v) < 1e-30) v = 0;
    dst[i] = accumulate ? (float)(dst[i] + v) : (float)v;
    double c2 = o->c * o->cs - o->s * o->ss;
    o->s = o->s * o->cs + o->c * o->ss;
    o->c = c2;
    if ((++o->age & (ANCHOR - 1)) == 0) { o->c = cos(o->omega * o->age); o->s = sin(o->omega * o->age); }
  }
}

static void updateTaps(int s) {
  for (int t = 0; t < NT; t++) {
    double dx = sx[s] - tx[t], dy = sy[s] - ty[t], d = sqrt(dx * dx + dy * dy);
    double g = 1 / (1 + 2 * d), tau = d * RATE / 100.0;
    int D = (int)floor(tau);
    double f = tau - D;
    delay[s][t] = D; c0[s][t] = (float)(g * (1 - f)); c1[s][t] = (float)(g * f);
  }
}

static void renderSpan(int off, int n) {
  if (writeIndex + n > HIST_LEN) {
    for (int s = 0; s < NTRAV; s++) memmove(hist[s], hist[s] + writeIndex - HIST_KEEP, HIST_KEEP * sizeof(float));
    writeIndex = HIST_KEEP;
  }
  for (int s = 0; s < NTRAV; s++) {
    float* x = hist[s] + writeIndex;
    sineRun(&trav[s], x, n, 0);
    for (int t = 0; t < NT; t++) {
      const float a = c0[s][t], b = c1[s][t];
      const float* p = x - delay[s][t];
      float* o = out[t] + off;
      for (int i = 0; i < n; i++) o[i] += p[i] * a + p[i - 1] * b;
    }
  }
  writeIndex += n;
  memset(bus, 0, sizeof bus);
  for (int s = 0; s < NSTAND; s++) sineRun(&stand[s], bus, n, 1);
  for (int t = 0; t < NT; t++) {
    const float g = standGain[t];
    float* o = out[t] + off;
    for (int i = 0; i < n; i++) o[i] += bus[i] * g;
  }
}

static void processBlock(long frame) {
  memset(out, 0, sizeof out);
  for (int off = 0; off < BLOCK; off += SPAN) {
    updateTaps((int)((frame + off) / SPAN % NTRAV));
    renderSpan(off, SPAN);
  }
  for (int t = 0; t < NT; t++) {
    float pk = 0, ss = 0;
    for (int i = 0; i < BLOCK; i++) {
      float v = out[t][i];
      clipped += fabsf(v) > 1;
      v = v < 1 ? (v > -1 ? v : -1) : 1;
      if (fabsf(v) < FLT_MIN) v = 0;
      out[t][i] = v;
      pk = fmaxf(pk, fabsf(v));
      ss += v * v;
    }
    peak[t] = pk; sumsq[t] = ss;
    memcpy(outputs[t], out[t], sizeof out[t]);
  }
}

static double secondsOf(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int byValue(const void* a, const void* b) { double x = *(const double*)a, y = *(const double*)b; return (x > y) - (x < y); }

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? atof(argv[1]) : 10;
  const int runs = argc > 2 ? atoi(argv[2]) : 5;
  const char* name = argc > 3 ? argv[3] : "c_haptic";
  for (int t = 0; t < NT; t++) { tx[t] = (t % 8) * 0.05; ty[t] = (t / 8) * 0.05; standGain[t] = 1; }
  for (int s = 0; s < NTRAV; s++) {
    sx[s] = 0.175 + ((s % 8) - 3.5) / 4 * 0.2; sy[s] = 0.075 + (2.0 * (s % 4) / 3 - 1) * 0.2;
    start(&trav[s], 36 + 3 * s, 40 / 127.0);
    updateTaps(s);
  }
  for (int s = 0; s < NSTAND; s++) start(&stand[s], 36 + 3 * (s + 8), 90 / 127.0);
  const long blocks = (long)llround(seconds * RATE / BLOCK);
  long frame = 0;
  for (long b = 0; b < RATE / BLOCK; b++, frame += BLOCK) processBlock(frame);
  double wall[64], cpu[64];
  int kept = 0;
  for (int r = 0; r <= runs && kept < 64; r++) {
    double w0 = secondsOf(CLOCK_MONOTONIC), c0s = secondsOf(CLOCK_PROCESS_CPUTIME_ID);
    for (long b = 0; b < blocks; b++, frame += BLOCK) processBlock(frame);
    double w1 = secondsOf(CLOCK_MONOTONIC), c1s = secondsOf(CLOCK_PROCESS_CPUTIME_ID);
    if (r > 0) { wall[kept] = seconds / (w1 - w0); cpu[kept] = seconds / (c1s - c0s); kept++; }
  }
  qsort(wall, kept, sizeof(double), byValue);
  qsort(cpu, kept, sizeof(double), byValue);
  printf("peer %s realtime_factor %.1f cpu_realtime_factor %.1f\n", name, wall[kept / 2], cpu[kept / 2]);
  return (int)(clipped & 0) + (outputs[0][0] == 12345.f);
}
