/*
 * Does this machine's per-thread CPU clock tell the truth? The late-block record's ownMs (src/host/lateBlocks.ts,
 * "the rendering thread's own CPU time") is a CLOCK_THREAD_CPUTIME_ID difference; on a virtual machine whose
 * scheduler clock is not the wall clock's source it can jump. One thread does a fixed unit of arithmetic (a few µs)
 * every 200 µs, reading its thread CPU clock and CLOCK_MONOTONIC around each unit; a unit whose CPU time exceeds its
 * wall time is impossible, and counted. Optionally a second thread of the process maps, touches and unmaps
 * <churnMb> MB in a loop (as V8's heap does beside a render thread), which is when jumps were seen here.
 *
 *   cc -O2 -pthread -o /tmp/thread-cpu-clock scripts/thread-cpu-clock.c && /tmp/thread-cpu-clock 30 512
 *
 * Measured on the CI VM (PVM hypervisor, kvm-clock, tsc=unstable), 2026-12-06, load 5–6: with 512 MB of churn, jumps
 * of 30–35 ms of thread CPU time in units of 0.011–0.025 ms wall, ~1–2 per 10 s; without churn none in 10 s.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

static volatile int stop = 0;

static double ms(clockid_t clock) {
  struct timespec t;
  clock_gettime(clock, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void *churn(void *arg) {
  size_t bytes = (size_t)(long)arg << 20;
  while (!stop) {
    char *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    for (size_t i = 0; i < bytes; i += 4096) p[i] = 1;
    munmap(p, bytes);
  }
  return NULL;
}

int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 30;
  long churnMb = argc > 2 ? atol(argv[2]) : 0;
  pthread_t thread;
  if (churnMb > 0 && pthread_create(&thread, NULL, churn, (void *)churnMb) != 0) churnMb = 0;
  const double impossibleMarginMs = 0.05; /* the two clocks are read a few hundred ns apart */
  long units = 0, impossible = 0;
  double maxCpuMs = 0, maxExcessMs = 0, end = ms(CLOCK_MONOTONIC) + seconds * 1e3;
  volatile double sink = 0;
  while (ms(CLOCK_MONOTONIC) < end) {
    double cpu0 = ms(CLOCK_THREAD_CPUTIME_ID), wall0 = ms(CLOCK_MONOTONIC);
    for (int i = 0; i < 2000; i++) sink += i * 0.5;
    double wallMs = ms(CLOCK_MONOTONIC) - wall0, cpuMs = ms(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    units++;
    if (cpuMs > maxCpuMs) maxCpuMs = cpuMs;
    if (cpuMs > wallMs + impossibleMarginMs) {
      impossible++;
      if (cpuMs - wallMs > maxExcessMs) maxExcessMs = cpuMs - wallMs;
      printf("unit %ld at %.3f s: thread CPU %.3f ms in %.3f ms of wall time\n", units, (ms(CLOCK_MONOTONIC) - end) / 1e3 + seconds, cpuMs, wallMs);
    }
    usleep(200);
  }
  stop = 1;
  if (churnMb > 0) pthread_join(thread, NULL);
  printf("%ld units in %d s (churn %ld MB): max thread CPU of a unit %.3f ms; %ld impossible (CPU > wall), max excess %.3f ms\n",
         units, seconds, churnMb, maxCpuMs, impossible, maxExcessMs);
  return 0;
}
