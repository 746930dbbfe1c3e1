/*
 * The environment's own real-time stalls, with no JavaScript involved (cyclictest-like): one thread at
 * SCHED_FIFO <priority> wakes every 1 ms on CLOCK_MONOTONIC (absolute deadlines) for <seconds> and
 * counts how late each wake-up was. Run it beside a soak or a probe to tell the machine's stalls from
 * the host's: a wake-up later than the render-ahead fill (2.67 ms at 64 frames, fill 2) would be an
 * underrun for any program.
 *
 *   cc -O2 -o /tmp/rt-wakeup-latency scripts/rt-wakeup-latency.c && /tmp/rt-wakeup-latency 30 4
 */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static long ns(struct timespec t) { return t.tv_sec * 1000000000L + t.tv_nsec; }

int main(int argc, char **argv) {
  int seconds = argc > 1 ? atoi(argv[1]) : 30;
  int priority = argc > 2 ? atoi(argv[2]) : 4;
  struct sched_param p = { .sched_priority = priority };
  if (priority > 0 && sched_setscheduler(0, SCHED_FIFO, &p) != 0) perror("sched_setscheduler (running at normal priority)");
  struct timespec next;
  clock_gettime(CLOCK_MONOTONIC, &next);
  long maxLate = 0, over1 = 0, over3 = 0, over10 = 0, n = seconds * 1000L;
  for (long i = 0; i < n; i++) {
    next.tv_nsec += 1000000;
    if (next.tv_nsec >= 1000000000) { next.tv_nsec -= 1000000000; next.tv_sec++; }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    long late = ns(now) - ns(next);
    if (late > maxLate) maxLate = late;
    if (late > 1000000) { over1++; next = now; /* a missed deadline restarts the grid */ }
    if (late > 3000000) over3++;
    if (late > 10000000) over10++;
  }
  printf("SCHED_FIFO %d: %ld wake-ups, max late %.3f ms, > 1 ms %ld, > 3 ms %ld, > 10 ms %ld\n", priority, n, maxLate / 1e6, over1, over3, over10);
  return 0;
}
