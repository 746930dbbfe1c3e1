/*
 * A JACK client whose process callback never waits: it copies the input ports into a SharedArrayBuffer
 * ring and the output ports from another, and posts a semaphore. It never calls JavaScript, never
 * allocates and never takes a lock. The shared-memory layout is declared once, in periodRings.ts
 * (Ctl.*, META_SLOTS); the numbers below mirror it.
 *
 * Output ring: slots of `outputs × period` float32 (planar), each stamped with the stream frame it is
 * meant for. At the cycle of stream frame f the callback discards blocks stamped before f (late: counted),
 * plays the block stamped f, and when there is none plays silence, counts an underrun and records f in
 * the underrun ring; every xrun JACK notifies is counted and recorded with its stream frame in the xrun
 * ring (onXrun). Input ring: slots of `inputs × period` float32 plus a meta record (stream frame,
 * JACK frame time, the nominal period, flags, and the callback's entry time); a full input ring loses
 * the period (counted). The stream frame is JACK's own frame counter
 * (jack_last_frame_time) counted from the first cycle, so a cycle the server skipped shows as a jump,
 * never as a shifted clock.
 *
 * Time is the callback's entry (jack_get_time() when it starts: late, never early, against the cycle), never
 * the cycle times JACK publishes: those are its DLL's estimate, and on the dummy driver the DLL rings for
 * seconds after a late cycle — measured here (64 frames, asynchronous, jackd stopped 30 ms): the published
 * cycle start ran from 33 ms before the callback's entry to 7 ms after it (a cycle "starting" after its
 * callback had begun), next − current from −32.9 ms to 4.4 ms. So the host time of a period (M_ENTRY_US),
 * MAX_CYCLE_GAP_US and LATE_CYCLES (gaps > 1.5 nominal periods), and the stream frame of an xrun or a
 * stall (streamFrameNow) all come from entry times; the callback does not ask JACK for its cycle times.
 * The callback plays silence and leaves the rings alone until the JS side stores Ctl.STATE = RUNNING
 * (after activate() has connected the ports): stream frame 0 is the first running cycle, so a ring
 * primed before activation is not eaten by the cycles that run while ports are being connected.
 * Counters are int32 in `ctl`, written with release stores and read with acquire loads (the JS side
 * uses Atomics, sequentially consistent). Exposed to JavaScript (Node-API):
 *   open(clientName, serverName|null) → { handle, sampleRate, periodFrames }
 *   activate(handle, { ctl, meta, input, output, stamp, underruns, xruns, jumps, inputs, outputs, ringPeriods,
 *                      connectInputs: string[], connectOutputs: string[], faultWaitUs, cpu })
 *     (`cpu` ≥ 0: JACK's process thread of this client is pinned to that CPU when it starts: onThreadInit)
 *   waitCycle(handle, timeoutMs, wakeAfterEntryUs = 0) → true when a cycle was posted, false on timeout (worker
 *     thread only); with wakeAfterEntryUs > 0 and no cycle posted yet, it sleeps on a timer to that long after the
 *     next cycle's expected entry (never a spin): the render delay, so commands arriving meanwhile make the block
 *     rendered next. A cycle already posted, or one that comes late, is taken at once.
 *   sinceIdle(handle, out: Int32Array(6)) → the calling thread's (waitCycle's) chain of work since it last blocked
 *     with nothing to do (markWake), µs back from now: [0] since it was done with its work (called the wait; the
 *     render delay's sleep follows, not its work), [1] since it woke, [2] its CPU time
 *     since the wake, [3] its run delay since the wake (ready but off a CPU), [4] how late it woke, [5] how many
 *     times it blocked since the wake (voluntary context switches); −1 where unknown
 *   close(handle); jackTimeUs() → jack_get_time() (the clock of the cycle times, µs)
 *   jackClockOffsetUs(out: Float64Array) → out[0] = jack_get_time() − CLOCK_MONOTONIC (µs), out[1] = its bracket (µs)
 *   maxRealtimePriority(handle) → jack_client_max_real_time_priority (the server's -P − 1 on JACK2), 0 when the
 *     server does not run real-time
 *   setRealtime(priority, name?, cpu?) → 0 or errno (SCHED_FIFO at priority for the calling thread, reset on fork: what it
 *     creates starts at normal priority; ≤ 0: back to SCHED_OTHER)
 *   startSentinel(handle, { ring, ctl, priority, intervalUs, thresholdUs }) → the machine-stall sentinel
 *     (sentinelMain below) for an active client; close() stops it
 * `faultWaitUs` > 0 is a test fault: the callback then waits (polls) up to that long for a missing
 * block, the blocking behaviour this client exists to avoid; tests use it to show their checks fail.
 */
#define NAPI_VERSION 8
#define _GNU_SOURCE /* SCHED_RESET_ON_FORK */
#include <errno.h>
#include <fcntl.h>
#include <jack/jack.h>
#include <jack/thread.h>
#include <math.h>
#include <node_api.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Mirrors periodRings.ts: Ctl indices and the meta record. */
enum {
  IN_WRITE = 0, IN_READ = 1, OUT_WRITE = 2, OUT_READ = 3, CYCLES = 4, UNDERRUNS = 5, INPUT_OVERFLOWS = 6,
  STALE_BLOCKS = 7, XRUNS = 8, UNDERRUN_WRITE = 9, MAX_CALLBACK_NS = 10, LAST_CALLBACK_NS = 11, STATE = 12,
  LATE_CYCLES = 13, MAX_CYCLE_GAP_US = 14, FRAME_JUMPS = 15, XRUN_WRITE = 16, JUMP_WRITE = 17, CTL_SLOTS = 18
};
enum { M_FRAME = 0, M_JACK_FRAME = 1, M_PERIOD_US = 2, M_FLAGS = 3, M_ENTRY_US = 4, META_SLOTS = 5 };
/* RigFlag bits (audioRig.ts). */
enum { FLAG_INPUT_OVERFLOW = 2, FLAG_OUTPUT_UNDERFLOW = 4, FLAG_LATE_CALLBACK = 32 };
enum { STATE_OPEN = 1, STATE_RUNNING = 2, STATE_SHUTDOWN = 3, STATE_CLOSED = 4 };
#define MAX_CLIENTS 8
#define MAX_PORTS 256
#define MAX_SENTINELS 64

typedef struct {
  int used;
  jack_client_t *client;
  sem_t cycle;
  int semReady;
  int inputs, outputs, ring, period;
  jack_port_t *in[MAX_PORTS], *out[MAX_PORTS];
  int32_t *ctl;
  double *meta, *stamp, *underruns, *xruns, *jumps;
  float *input, *output;
  uint32_t underrunCapacity, xrunCapacity, jumpCapacity;
  napi_ref refs[8];
  /* Callback-private state. */
  int64_t frame;
  jack_nframes_t lastJackFrame;
  jack_time_t lastEntryUs; /* written by the callback, read by onXrun and the sentinels (atomics) */
  double nominalPeriodUs;  /* period / sample rate, µs (activate) */
  double framesPerUs;      /* sample rate / 1e6 */
  int pendingFlags;
  int64_t faultWaitUs;
  int cpu; /* the CPU the process thread is pinned to (activate's `cpu`), −1: not pinned */
  /* The waiting thread's chain of work since it last blocked with nothing to do (markWake, sinceIdle; that thread's
     only): when it was done with its work and when it woke (jack µs), how late it woke (µs), its run delay and CPU time then (ns;
     −1: not measured). */
  jack_time_t chainDoneUs, chainWakeUs;
  int64_t chainWakeLateUs, chainRunDelayNs, chainCpuNs;
  long chainVoluntarySwitches; /* the thread's voluntary context switches at the wake-up (getrusage), −1: unknown */
  int schedFd;     /* the waiting thread's /proc/thread-self/schedstat (threadRunDelayNs), −1: none */
  pid_t schedTid;  /* the thread that opened it */
  /* The machine-stall sentinels (sentinelMain, one per CPU), when started. */
  pthread_t sentinel[MAX_SENTINELS];
  int sentinelCount, sentinelRealtimeCount;
  pthread_mutex_t sentinelWrite; /* between the sentinels only: never taken by the process callback */
  int sentinelRunning, sentinelStop, sentinelPriority, sentinelIntervalUs, sentinelThresholdUs;
  double *stalls;
  uint32_t stallCapacity;
  int32_t *stallCtl;
  napi_ref stallRefs[2];
} Client;

/* Mirrors machineStalls.ts: the sentinel's counters and its record (three doubles per stall). */
enum { S_WRITE = 0, S_REALTIME = 1, S_MAX_LATE_US = 2, S_WAKEUPS = 3, S_CTL_SLOTS = 4 };
enum { R_FRAME = 0, R_LATE_US = 1, R_JACK_US = 2, R_SLOTS = 3 };

static Client clients[MAX_CLIENTS];
/* jack_get_time() reads a clock libjack sets up with the first client and tears down with the last:
 * called with no client open it crashes the process, so jackTimeUs() refuses then. Main thread only. */
static int openClients;

static inline int32_t ld(int32_t *p) { return __atomic_load_n(p, __ATOMIC_ACQUIRE); }
static inline void st(int32_t *p, int32_t v) { __atomic_store_n(p, v, __ATOMIC_RELEASE); }
static inline void inc(int32_t *p) { __atomic_store_n(p, __atomic_load_n(p, __ATOMIC_RELAXED) + 1, __ATOMIC_RELEASE); }

/* The first block in the output ring stamped `frame`, discarding older ones; NULL when there is none. */
static float *takeBlock(Client *c, int64_t frame) {
  int32_t rd = __atomic_load_n(&c->ctl[OUT_READ], __ATOMIC_RELAXED);
  int32_t wr = ld(&c->ctl[OUT_WRITE]);
  while (rd != wr) {
    int slot = (int)((uint32_t)rd % (uint32_t)c->ring);
    int64_t stamp = (int64_t)c->stamp[slot];
    if (stamp < frame) { rd++; inc(&c->ctl[STALE_BLOCKS]); continue; }
    st(&c->ctl[OUT_READ], rd);
    return stamp == frame ? c->output + (size_t)slot * c->outputs * c->period : NULL;
  }
  st(&c->ctl[OUT_READ], rd);
  return NULL;
}

static int process(jack_nframes_t nframes, void *arg) {
  Client *c = (Client *)arg;
  if (ld(&c->ctl[STATE]) != STATE_RUNNING) {
    /* Connecting, or closing: silence, and the stream clock has not started. */
    for (int k = 0; k < c->outputs; k++) memset(jack_port_get_buffer(c->out[k], nframes), 0, sizeof(float) * nframes);
    return 0;
  }
  jack_time_t t0 = jack_get_time();
  jack_nframes_t jackFrame = jack_last_frame_time(c->client);
  int32_t cycles = __atomic_load_n(&c->ctl[CYCLES], __ATOMIC_RELAXED);
  if (cycles > 0) {
    jack_nframes_t step = jackFrame - c->lastJackFrame; /* unsigned: wraps correctly */
    if (step != nframes) {
      /* Cycles JACK ran without this callback: recorded as [the frame the next cycle should have had, the
         frames it moved instead], so the harness can place the gap beside the content. Stores only. */
      inc(&c->ctl[FRAME_JUMPS]);
      int32_t j = __atomic_load_n(&c->ctl[JUMP_WRITE], __ATOMIC_RELAXED);
      uint32_t at = ((uint32_t)j & (c->jumpCapacity - 1)) * 2;
      c->jumps[at] = (double)(c->frame + nframes);
      c->jumps[at + 1] = (double)step;
      st(&c->ctl[JUMP_WRITE], j + 1);
    }
    __atomic_store_n(&c->frame, c->frame + step, __ATOMIC_RELAXED); /* onXrun reads it from another thread */
    int64_t gap = (int64_t)(t0 - c->lastEntryUs);
    if (gap > c->ctl[MAX_CYCLE_GAP_US]) st(&c->ctl[MAX_CYCLE_GAP_US], (int32_t)(gap > INT32_MAX ? INT32_MAX : gap));
    if ((double)gap * 2 > c->nominalPeriodUs * 3) { inc(&c->ctl[LATE_CYCLES]); c->pendingFlags |= FLAG_LATE_CALLBACK; }
  }
  __atomic_store_n(&c->lastJackFrame, jackFrame, __ATOMIC_RELAXED);
  __atomic_store_n(&c->lastEntryUs, t0, __ATOMIC_RELAXED);
  int n = (int)nframes < c->period ? (int)nframes : c->period;

  /* Outputs first: they are due now. */
  float *block = takeBlock(c, c->frame);
  if (!block && c->faultWaitUs > 0) {
    while (!block && (int64_t)(jack_get_time() - t0) < c->faultWaitUs) { usleep(100); block = takeBlock(c, c->frame); }
  }
  for (int k = 0; k < c->outputs; k++) {
    float *dst = (float *)jack_port_get_buffer(c->out[k], nframes);
    if (block) memcpy(dst, block + (size_t)k * c->period, sizeof(float) * n);
    else memset(dst, 0, sizeof(float) * nframes);
  }
  if (block) {
    st(&c->ctl[OUT_READ], __atomic_load_n(&c->ctl[OUT_READ], __ATOMIC_RELAXED) + 1);
  } else {
    int32_t u = __atomic_load_n(&c->ctl[UNDERRUN_WRITE], __ATOMIC_RELAXED);
    c->underruns[(uint32_t)u & (c->underrunCapacity - 1)] = (double)c->frame;
    st(&c->ctl[UNDERRUN_WRITE], u + 1);
    inc(&c->ctl[UNDERRUNS]);
    c->pendingFlags |= FLAG_OUTPUT_UNDERFLOW;
  }

  /* Inputs. */
  int32_t w = __atomic_load_n(&c->ctl[IN_WRITE], __ATOMIC_RELAXED);
  int32_t r = ld(&c->ctl[IN_READ]);
  if ((int32_t)(w - r) < c->ring) {
    int slot = (int)((uint32_t)w % (uint32_t)c->ring);
    float *base = c->input + (size_t)slot * c->inputs * c->period;
    for (int k = 0; k < c->inputs; k++) {
      const float *src = (const float *)jack_port_get_buffer(c->in[k], nframes);
      memcpy(base + (size_t)k * c->period, src, sizeof(float) * n);
    }
    double *m = c->meta + (size_t)slot * META_SLOTS;
    m[M_FRAME] = (double)c->frame;
    m[M_JACK_FRAME] = (double)jackFrame;
    m[M_PERIOD_US] = c->nominalPeriodUs;
    m[M_FLAGS] = (double)c->pendingFlags;
    m[M_ENTRY_US] = (double)t0;
    c->pendingFlags = 0;
    st(&c->ctl[IN_WRITE], w + 1);
  } else {
    inc(&c->ctl[INPUT_OVERFLOWS]);
    c->pendingFlags |= FLAG_INPUT_OVERFLOW;
  }
  sem_post(&c->cycle);
  int64_t ns = (int64_t)(jack_get_time() - t0) * 1000;
  if (ns > INT32_MAX) ns = INT32_MAX;
  st(&c->ctl[LAST_CALLBACK_NS], (int32_t)ns);
  if (ns > c->ctl[MAX_CALLBACK_NS]) st(&c->ctl[MAX_CALLBACK_NS], (int32_t)ns);
  st(&c->ctl[CYCLES], cycles + 1);
  return 0;
}

/*
 * The stream frame now, from a thread other than the process thread (onXrun, the sentinel): the last
 * cycle's frame plus the nominal frames in the time since that cycle's callback began (jack_get_time);
 * −1 before the first running cycle; rounded down to a whole frame. Not jack_frame_time(): that is the
 * DLL's estimate (see the top of this file: tens of ms off after a late cycle of the dummy driver). The two
 * loads are not one atomic snapshot: a cycle starting between them moves the result by at most a period.
 */
static double streamFrameNow(Client *c) {
  if (__atomic_load_n(&c->ctl[CYCLES], __ATOMIC_ACQUIRE) <= 0) return -1;
  int64_t frame = __atomic_load_n(&c->frame, __ATOMIC_RELAXED);
  int64_t sinceUs = (int64_t)(jack_get_time() - __atomic_load_n(&c->lastEntryUs, __ATOMIC_RELAXED));
  return (double)(frame + (int64_t)((double)sinceUs * c->framesPerUs)); /* whole frames, as every other frame here */
}

/*
 * JACK's xrun notification (its notification thread, not the process thread): every xrun the server
 * reports — its driver running late or a client not finished — reaches every client. Counted, and recorded
 * in the xrun ring with the stream frame it happened at (streamFrameNow) and jack_get_time(), so the harness can place it beside the
 * content. Before the first running cycle the frame is −1. Stores only: nothing allocates or waits.
 */
static int onXrun(void *arg) {
  Client *c = (Client *)arg;
  if (!c->ctl) return 0;
  double frame = streamFrameNow(c);
  int32_t x = __atomic_load_n(&c->ctl[XRUN_WRITE], __ATOMIC_RELAXED);
  uint32_t at = ((uint32_t)x & (c->xrunCapacity - 1)) * 2;
  c->xruns[at] = frame;
  c->xruns[at + 1] = (double)jack_get_time();
  st(&c->ctl[XRUN_WRITE], x + 1);
  inc(&c->ctl[XRUNS]);
  return 0;
}

/*
 * The machine-stall sentinel: one thread per CPU the process may run on, each pinned to its CPU, at
 * SCHED_FIFO `sentinelPriority` (above jackd's and every audio thread of ours), that sleeps to absolute
 * CLOCK_MONOTONIC deadlines every `sentinelIntervalUs` and records each
 * wake-up later than `sentinelThresholdUs`: how late (a lower bound on how long the machine ran nothing of
 * ours, or anything below this priority: a virtual machine's vCPU descheduled, an SMI, the kernel), the
 * stream frame it woke at (streamFrameNow, as onXrun places an xrun) and jack_get_time(). The harness sets these against the underruns: a stall longer than
 * the render-ahead fill is an underrun for any program. Stores only; the record is a ring (S_WRITE counts).
 * S_REALTIME says whether every sentinel got its priority and its CPU: at normal priority lateness is
 * ordinary scheduling and proves nothing.
 * Why one per CPU: a CPU can stop running real-time threads on its own — this VM's kernel is not
 * preemptible (PREEMPT_NONE), so a thread of another process inside a long system call or page fault keeps
 * its CPU until it returns; a vCPU the hypervisor took does the same. A real-time thread woken onto that CPU
 * (the kernel sends a woken FIFO thread to the CPU running the lowest-priority task, and the other CPU does
 * not pull it while it is the only one queued there) waits the whole time: traced with perf, the render
 * thread woken onto CPU 0 waited 1.3 ms while CPU 0 recorded no context switch at all and CPU 1 ran niced
 * tasks. A single sentinel sits on one CPU and saw none of it. The record is shared: the sentinels take
 * `sentinelWrite` (theirs alone) to append to it.
 */
typedef struct { Client *c; int cpu; } SentinelArg;
static SentinelArg sentinelArgs[MAX_CLIENTS][MAX_SENTINELS];

static void *sentinelMain(void *arg) {
  SentinelArg *a = (SentinelArg *)arg;
  Client *c = a->c;
  pthread_setname_np(pthread_self(), "rig-sentinel");
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(a->cpu, &one);
  int pinned = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  struct sched_param sp = { .sched_priority = c->sentinelPriority };
  int realtime = pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp) == 0;
  if (pinned && realtime) __atomic_fetch_add(&c->sentinelRealtimeCount, 1, __ATOMIC_ACQ_REL);
  if (__atomic_load_n(&c->sentinelRealtimeCount, __ATOMIC_ACQUIRE) == c->sentinelCount) st(&c->stallCtl[S_REALTIME], 1);
  struct timespec next, now;
  clock_gettime(CLOCK_MONOTONIC, &next);
  const long intervalNs = (long)c->sentinelIntervalUs * 1000L;
  while (!__atomic_load_n(&c->sentinelStop, __ATOMIC_ACQUIRE)) {
    next.tv_nsec += intervalNs;
    while (next.tv_nsec >= 1000000000L) { next.tv_nsec -= 1000000000L; next.tv_sec++; }
    while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL) == EINTR) {}
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t lateUs = ((int64_t)(now.tv_sec - next.tv_sec) * 1000000000LL + (now.tv_nsec - next.tv_nsec)) / 1000;
    __atomic_fetch_add(&c->stallCtl[S_WAKEUPS], 1, __ATOMIC_RELEASE);
    int32_t late32 = (int32_t)(lateUs > INT32_MAX ? INT32_MAX : lateUs);
    int32_t max = __atomic_load_n(&c->stallCtl[S_MAX_LATE_US], __ATOMIC_RELAXED);
    while (late32 > max && !__atomic_compare_exchange_n(&c->stallCtl[S_MAX_LATE_US], &max, late32, 0, __ATOMIC_RELEASE, __ATOMIC_RELAXED)) {}
    if (lateUs <= c->sentinelThresholdUs) continue;
    double frame = streamFrameNow(c);
    pthread_mutex_lock(&c->sentinelWrite);
    int32_t w = __atomic_load_n(&c->stallCtl[S_WRITE], __ATOMIC_RELAXED);
    double *r = c->stalls + (size_t)((uint32_t)w & (c->stallCapacity - 1)) * R_SLOTS;
    r[R_FRAME] = frame;
    r[R_LATE_US] = (double)lateUs;
    r[R_JACK_US] = (double)jack_get_time();
    st(&c->stallCtl[S_WRITE], w + 1);
    pthread_mutex_unlock(&c->sentinelWrite);
    next = now; /* a missed deadline restarts the grid: one stall, one record */
  }
  return NULL;
}

static void stopSentinel(napi_env env, Client *c) {
  if (!c->sentinelRunning) return;
  __atomic_store_n(&c->sentinelStop, 1, __ATOMIC_RELEASE);
  for (int i = 0; i < c->sentinelCount; i++) pthread_join(c->sentinel[i], NULL);
  pthread_mutex_destroy(&c->sentinelWrite);
  c->sentinelRunning = 0;
  for (int i = 0; i < 2; i++) if (c->stallRefs[i]) napi_delete_reference(env, c->stallRefs[i]);
}

/*
 * JACK's process thread starting (before its first cycle): pinned to `cpu` when activate() asked, so the
 * render thread pinned to the same CPU (setRealtime's cpu) is woken where the callback that posts its
 * semaphore has just run — a CPU that is running our thread, not one another process may hold in a long
 * system call (the kernel here is not preemptible). Not on the audio path: once, at the thread's start.
 */
static void onThreadInit(void *arg) {
  Client *c = (Client *)arg;
  if (c->cpu < 0) return;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(c->cpu, &one);
  pthread_setaffinity_np(pthread_self(), sizeof one, &one);
}

static void onShutdown(void *arg) {
  Client *c = (Client *)arg;
  if (c->ctl) st(&c->ctl[STATE], STATE_SHUTDOWN);
  sem_post(&c->cycle);
}

/* ---- Node-API glue (main thread, except waitCycle) ---- */

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "jackClient: " #call " failed"); return NULL; } } while (0)

static napi_value fail(napi_env env, const char *message) {
  napi_throw_error(env, NULL, message);
  return NULL;
}

static Client *clientArg(napi_env env, napi_value v) {
  int32_t h;
  if (napi_get_value_int32(env, v, &h) != napi_ok || h < 0 || h >= MAX_CLIENTS || !clients[h].used) return NULL;
  return &clients[h];
}

/* The client of a handle whose cycle semaphore exists (waitCycle and sinceIdle, on the waiting thread), or NULL. */
static Client *waiterArg(napi_env env, napi_value v) {
  int32_t h;
  if (napi_get_value_int32(env, v, &h) != napi_ok || h < 0 || h >= MAX_CLIENTS || !clients[h].semReady) return NULL;
  return &clients[h];
}

static napi_value prop(napi_env env, napi_value obj, const char *name) {
  napi_value v;
  return napi_get_named_property(env, obj, name, &v) == napi_ok ? v : NULL;
}

static int intProp(napi_env env, napi_value obj, const char *name, int32_t *out) {
  napi_value v = prop(env, obj, name);
  return v && napi_get_value_int32(env, v, out) == napi_ok;
}

/* Data pointer and element count of a typed array of the expected type (over a SharedArrayBuffer). */
static void *typedArray(napi_env env, napi_value obj, const char *name, napi_typedarray_type want, size_t *length, napi_ref *ref) {
  napi_value v = prop(env, obj, name);
  bool is = false;
  if (!v || napi_is_typedarray(env, v, &is) != napi_ok || !is) return NULL;
  napi_typedarray_type type;
  void *data;
  if (napi_get_typedarray_info(env, v, &type, length, &data, NULL, NULL) != napi_ok || type != want) return NULL;
  if (napi_create_reference(env, v, 1, ref) != napi_ok) return NULL;
  return data;
}

static napi_value jsOpen(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[64] = "studio-rig", server[64] = "";
  size_t len;
  if (argc > 0) napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len);
  napi_valuetype t = napi_undefined;
  if (argc > 1) napi_typeof(env, argv[1], &t);
  if (t == napi_string) napi_get_value_string_utf8(env, argv[1], server, sizeof server, &len);
  int h = 0;
  while (h < MAX_CLIENTS && clients[h].used) h++;
  if (h == MAX_CLIENTS) return fail(env, "jackClient: too many open clients");
  jack_status_t status;
  jack_options_t options = (jack_options_t)(JackNoStartServer | (server[0] ? JackServerName : 0));
  jack_client_t *client = server[0] ? jack_client_open(name, options, &status, server) : jack_client_open(name, options, &status);
  if (!client) {
    char message[160];
    snprintf(message, sizeof message, "jack_client_open(\"%s\") failed (status 0x%x%s)", name, (unsigned)status,
             (status & JackServerFailed) ? ": no JACK server running" : "");
    return fail(env, message);
  }
  Client *c = &clients[h];
  int semReady = c->semReady;
  sem_t keep = c->cycle;
  if (c->schedFd > 0) close(c->schedFd); /* the last stream's render thread is gone (threadRunDelayNs) */
  memset(c, 0, sizeof *c);
  c->schedFd = -1;
  /* The semaphore outlives a client: a worker may still be waiting on it when close() runs. */
  if (semReady) c->cycle = keep; else sem_init(&c->cycle, 0, 0);
  c->semReady = 1;
  c->chainRunDelayNs = -1;
  c->chainCpuNs = -1;
  c->chainVoluntarySwitches = -1;
  c->chainWakeUs = 0;
  c->used = 1;
  c->client = client;
  openClients++;
  napi_value result, v;
  CHECK(napi_create_object(env, &result));
  CHECK(napi_create_int32(env, h, &v)); CHECK(napi_set_named_property(env, result, "handle", v));
  CHECK(napi_create_uint32(env, jack_get_sample_rate(client), &v)); CHECK(napi_set_named_property(env, result, "sampleRate", v));
  CHECK(napi_create_uint32(env, jack_get_buffer_size(client), &v)); CHECK(napi_set_named_property(env, result, "periodFrames", v));
  CHECK(napi_create_string_utf8(env, jack_get_client_name(client), NAPI_AUTO_LENGTH, &v)); CHECK(napi_set_named_property(env, result, "clientName", v));
  return result;
}

static int connectAll(napi_env env, Client *c, napi_value list, int inputs, char *message, size_t size) {
  bool isArray = false;
  if (!list || napi_is_array(env, list, &isArray) != napi_ok || !isArray) return 1;
  uint32_t n;
  napi_get_array_length(env, list, &n);
  for (uint32_t k = 0; k < n && (int)k < (inputs ? c->inputs : c->outputs); k++) {
    napi_value e;
    char other[256];
    size_t len;
    napi_get_element(env, list, k, &e);
    if (napi_get_value_string_utf8(env, e, other, sizeof other, &len) != napi_ok || len == 0) continue;
    const char *ours = jack_port_name(inputs ? c->in[k] : c->out[k]);
    int rc = inputs ? jack_connect(c->client, other, ours) : jack_connect(c->client, ours, other);
    if (rc != 0 && rc != EEXIST) {
      snprintf(message, size, "jack_connect %s → %s failed (%d)", inputs ? other : ours, inputs ? ours : other, rc);
      return 0;
    }
  }
  return 1;
}

static napi_value jsActivate(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc == 2 ? clientArg(env, argv[0]) : NULL;
  if (!c || c->ctl) return fail(env, "jackClient.activate: bad or already active handle");
  napi_value o = argv[1];
  int32_t inputs, outputs, ring, faultUs = 0;
  if (!intProp(env, o, "inputs", &inputs) || !intProp(env, o, "outputs", &outputs) || !intProp(env, o, "ringPeriods", &ring)
      || inputs < 0 || outputs < 0 || inputs > MAX_PORTS || outputs > MAX_PORTS || ring < 2) {
    return fail(env, "jackClient.activate: inputs, outputs (0…256) and ringPeriods (≥ 2) are required");
  }
  intProp(env, o, "faultWaitUs", &faultUs);
  int32_t cpu = -1;
  intProp(env, o, "cpu", &cpu);
  c->cpu = cpu >= 0 && cpu < CPU_SETSIZE ? cpu : -1;
  c->inputs = inputs;
  c->outputs = outputs;
  c->ring = ring;
  c->period = (int)jack_get_buffer_size(c->client);
  c->framesPerUs = (double)jack_get_sample_rate(c->client) / 1e6;
  c->nominalPeriodUs = (double)c->period / c->framesPerUs;
  c->faultWaitUs = faultUs;
  size_t nCtl, nMeta, nIn, nOut, nStamp, nUnder, nXruns, nJumps;
  int32_t *ctl = typedArray(env, o, "ctl", napi_int32_array, &nCtl, &c->refs[0]);
  double *meta = typedArray(env, o, "meta", napi_float64_array, &nMeta, &c->refs[1]);
  float *input = typedArray(env, o, "input", napi_float32_array, &nIn, &c->refs[2]);
  float *output = typedArray(env, o, "output", napi_float32_array, &nOut, &c->refs[3]);
  double *stamp = typedArray(env, o, "stamp", napi_float64_array, &nStamp, &c->refs[4]);
  double *under = typedArray(env, o, "underruns", napi_float64_array, &nUnder, &c->refs[5]);
  double *xruns = typedArray(env, o, "xruns", napi_float64_array, &nXruns, &c->refs[6]);
  double *jumps = typedArray(env, o, "jumps", napi_float64_array, &nJumps, &c->refs[7]);
  size_t P = (size_t)c->period;
  if (!ctl || !meta || !input || !output || !stamp || !under || !xruns || !jumps || nCtl < CTL_SLOTS || nMeta < (size_t)ring * META_SLOTS
      || nIn < (size_t)ring * inputs * P || nOut < (size_t)ring * outputs * P || nStamp < (size_t)ring
      || nUnder == 0 || (nUnder & (nUnder - 1)) != 0 || nXruns < 2 || ((nXruns / 2) & (nXruns / 2 - 1)) != 0
      || nJumps < 2 || ((nJumps / 2) & (nJumps / 2 - 1)) != 0) {
    return fail(env, "jackClient.activate: ring arrays missing or too small for the server's period");
  }
  c->meta = meta; c->input = input; c->output = output; c->stamp = stamp; c->underruns = under;
  c->underrunCapacity = (uint32_t)nUnder;
  c->xruns = xruns;
  c->xrunCapacity = (uint32_t)(nXruns / 2);
  c->jumps = jumps;
  c->jumpCapacity = (uint32_t)(nJumps / 2);
  char portName[32];
  for (int k = 0; k < inputs; k++) {
    snprintf(portName, sizeof portName, "in_%d", k + 1);
    if (!(c->in[k] = jack_port_register(c->client, portName, JACK_DEFAULT_AUDIO_TYPE, JackPortIsInput, 0))) return fail(env, "jack_port_register failed");
  }
  for (int k = 0; k < outputs; k++) {
    snprintf(portName, sizeof portName, "out_%d", k + 1);
    if (!(c->out[k] = jack_port_register(c->client, portName, JACK_DEFAULT_AUDIO_TYPE, JackPortIsOutput, 0))) return fail(env, "jack_port_register failed");
  }
  jack_set_thread_init_callback(c->client, onThreadInit, c);
  jack_set_process_callback(c->client, process, c);
  jack_set_xrun_callback(c->client, onXrun, c);
  jack_on_shutdown(c->client, onShutdown, c);
  c->ctl = ctl;
  st(&ctl[STATE], STATE_OPEN);
  if (jack_activate(c->client) != 0) return fail(env, "jack_activate failed");
  char message[600];
  if (!connectAll(env, c, prop(env, o, "connectInputs"), 1, message, sizeof message)
      || !connectAll(env, c, prop(env, o, "connectOutputs"), 0, message, sizeof message)) {
    return fail(env, message);
  }
  return NULL;
}

/*
 * connections(handle, portNames): for each named port, the full names of the ports connected to it (an empty
 * array when none), or null when the server has no such port — jack_port_get_all_connections on this
 * client, so asking needs no child process. (A fork of this process, as running jack_lsp was, copies its
 * page tables under the memory-map lock and write-protects every private page: each real-time thread's
 * next write to a page then faults — measured as underruns at every stop while the check ran jack_lsp.)
 * Main thread, not the process callback.
 */
static napi_value jsConnections(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc == 2 ? clientArg(env, argv[0]) : NULL;
  bool isArray = false;
  if (!c || napi_is_array(env, argv[1], &isArray) != napi_ok || !isArray) return fail(env, "jackClient.connections: expected (handle, portNames[])");
  uint32_t n;
  CHECK(napi_get_array_length(env, argv[1], &n));
  napi_value result;
  CHECK(napi_create_array_with_length(env, n, &result));
  for (uint32_t k = 0; k < n; k++) {
    napi_value e, entry;
    char name[320];
    size_t len;
    CHECK(napi_get_element(env, argv[1], k, &e));
    if (napi_get_value_string_utf8(env, e, name, sizeof name, &len) != napi_ok) return fail(env, "jackClient.connections: port names must be strings");
    jack_port_t *port = len > 0 && len < sizeof name - 1 ? jack_port_by_name(c->client, name) : NULL;
    if (!port) {
      CHECK(napi_get_null(env, &entry));
    } else {
      const char **peers = jack_port_get_all_connections(c->client, port);
      uint32_t m = 0;
      while (peers && peers[m]) m++;
      CHECK(napi_create_array_with_length(env, m, &entry));
      for (uint32_t j = 0; j < m; j++) {
        napi_value v;
        if (napi_create_string_utf8(env, peers[j], NAPI_AUTO_LENGTH, &v) != napi_ok || napi_set_element(env, entry, j, v) != napi_ok) {
          jack_free(peers);
          return fail(env, "jackClient.connections: out of memory");
        }
      }
      if (peers) jack_free(peers);
    }
    CHECK(napi_set_element(env, result, k, entry));
  }
  return result;
}

/* Sleeps (never spins) until jack_get_time() reaches wakeAt, µs. */
static void sleepUntilJackUs(jack_time_t wakeAt) {
  for (;;) {
    int64_t leftUs = (int64_t)(wakeAt - jack_get_time());
    if (leftUs <= 0) return;
    if (leftUs > 999999) leftUs = 999999; /* a timespec's nanoseconds stay below 1 s; the loop sleeps the rest */
    struct timespec d = { 0, (long)leftUs * 1000L };
    nanosleep(&d, NULL);
  }
}

/*
 * The calling thread's run delay, ns: the time the kernel has kept it ready to run but not running — queued
 * behind threads of higher or equal priority on its CPU, or on a CPU the machine did not run (a halted vCPU
 * the hypervisor wakes late, a CPU held in a non-preemptible kernel). /proc/thread-self/schedstat, field 2
 * (CONFIG_SCHED_INFO), through a descriptor the waiting thread opens once and the client keeps; −1 where
 * there is none. One pread, no allocation; only the rendering thread calls it, never the callback.
 */
static int64_t threadRunDelayNs(Client *c) {
  static __thread pid_t self = 0;
  if (self == 0) self = (pid_t)syscall(SYS_gettid);
  if (c->schedTid != self) {
    /* Opened by the waiting thread (thread-self), kept by the client: a thread-exit destructor would run after a
       worker's exit had unloaded this addon (a segfault, seen). Reopened when another thread waits; closed when
       the client's slot is reused (open). */
    if (c->schedFd >= 0) close(c->schedFd);
    c->schedFd = open("/proc/thread-self/schedstat", O_RDONLY | O_CLOEXEC);
    c->schedTid = self;
  }
  int fd = c->schedFd;
  if (fd < 0) return -1;
  char buf[96];
  ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return -1;
  buf[n] = 0;
  char *p = strchr(buf, ' ');
  if (!p) return -1;
  char *end;
  long long v = strtoll(p + 1, &end, 10);
  return end == p + 1 ? -1 : (int64_t)v;
}

/*
 * The waiting thread blocked with nothing to do (done with its work at doneUs) and has just run again: a new chain
 * of work begins, recorded for sinceIdle. How late it woke: from the later of when it was ready (readyUs: done with its work, or the render
 * delay's end) and the entry of the oldest cycle whose input it has not read, to now. Blocked all that time with
 * a cycle due, the delay is not its own: the callback's thread held before it posted (its work is a few µs of
 * copying), or a wake-up the machine ran late — one sent to a halted vCPU (traced with perf here: 1.4 ms before
 * the idle CPU ran the thread queued on it; the run delay does not count that, a remote wake-up is queued only
 * when that CPU takes the interrupt) or a CPU held by higher-priority threads or the kernel. From the wake-up on,
 * its run delay and CPU time tell its own work from the machine's holds. Nothing queued (a timeout, a cycle
 * whose input was lost): not late.
 */
static int64_t threadCpuNs(void);
/* The calling thread's voluntary context switches (it blocked: a lock, a page read, a sleep), −1 where unknown. */
static long threadVoluntarySwitches(void) {
  struct rusage ru;
  return getrusage(RUSAGE_THREAD, &ru) == 0 ? ru.ru_nvcsw : -1;
}
static void markWake(Client *c, jack_time_t doneUs, jack_time_t readyUs) {
  jack_time_t now = jack_get_time();
  int64_t late = 0;
  int32_t *ctl = __atomic_load_n(&c->ctl, __ATOMIC_ACQUIRE); /* NULL once close() has run (its post wakes us) */
  double *meta = c->meta;
  if (ctl && meta) {
    int32_t r = ld(&ctl[IN_READ]), w = ld(&ctl[IN_WRITE]);
    if ((int32_t)(w - r) > 0) {
      jack_time_t entryUs = (jack_time_t)meta[(size_t)((uint32_t)r % (uint32_t)c->ring) * META_SLOTS + M_ENTRY_US];
      late = (int64_t)(now - ((int64_t)(entryUs - readyUs) > 0 ? entryUs : readyUs));
    }
  }
  c->chainDoneUs = doneUs;
  c->chainWakeUs = now;
  c->chainWakeLateUs = late > 0 ? late : 0;
  c->chainRunDelayNs = threadRunDelayNs(c);
  c->chainCpuNs = threadCpuNs();
  c->chainVoluntarySwitches = threadVoluntarySwitches();
}

static int64_t threadCpuNs(void) {
  struct timespec t;
  return clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t) == 0 ? (int64_t)t.tv_sec * 1000000000LL + t.tv_nsec : -1;
}

static napi_value jsWaitCycle(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  double timeoutMs = 1000;
  double wakeAfterEntryUs = 0;
  Client *c = argc < 1 ? NULL : waiterArg(env, argv[0]);
  if (!c) return fail(env, "jackClient.waitCycle: bad handle");
  if (argc > 1) napi_get_value_double(env, argv[1], &timeoutMs);
  if (argc > 2) napi_get_value_double(env, argv[2], &wakeAfterEntryUs);
  /* A cycle already posted: this thread is behind (a stall, a burst of cycles after a late one): taken at once,
     with no render delay — sleeping after each of a burst's cycles would cost the catch-up its cushion — and its
     chain of work goes on from when it was last idle (markWake). */
  jack_time_t doneUs = jack_get_time(); /* done with its work */
  jack_time_t readyUs = doneUs;         /* ready to render from now, or from the render delay's end, if it blocks */
  int rc = sem_trywait(&c->cycle);
  int blocked = rc != 0;
  if (rc != 0 && wakeAfterEntryUs > 0) {
    /* The render delay, one wake-up a period: sleep on a timer straight to the next cycle's expected entry (the
       latest + the nominal period) + the delay; its post has normally come by then. A late cycle's post is
       waited for below and taken at once (no delay after it: the block has less time already). Measured
       (src/host/bridgeProbe.ts jack-native fdn16, 38 s runs at load 3–6, half a period): sleeping after each post
       instead (two wake-ups a period, and a sleep after every cycle of a catch-up burst) had 10–13 underruns a
       run against 4–9 with no delay; this way 5, 7 and 16 against 4, 4 and 7. A 2-minute soak at load 4.5: 36
       underruns against 23, every one at a stall of the machine longer than the cushion (2 ms against 2.67). */
    jack_time_t latest = __atomic_load_n(&c->lastEntryUs, __ATOMIC_RELAXED);
    jack_time_t limit = jack_get_time() + (jack_time_t)(timeoutMs > 0 ? timeoutMs * 1000 : 0);
    if (latest != 0) {
      jack_time_t wakeAt = latest + (jack_time_t)(c->nominalPeriodUs + wakeAfterEntryUs);
      readyUs = (int64_t)(wakeAt - limit) < 0 ? wakeAt : limit;
      sleepUntilJackUs(readyUs);
      jack_time_t now = jack_get_time();
      timeoutMs = (int64_t)(limit - now) > 0 ? (double)(int64_t)(limit - now) / 1000 : 0;
    }
  }
  if (rc != 0) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    long long ns = ts.tv_nsec + (long long)(timeoutMs * 1e6);
    ts.tv_sec += ns / 1000000000LL;
    ts.tv_nsec = ns % 1000000000LL;
    while ((rc = sem_timedwait(&c->cycle, &ts)) != 0 && errno == EINTR) {}
  }
  if (blocked) markWake(c, doneUs, readyUs);
  napi_value result;
  CHECK(napi_get_boolean(env, rc == 0, &result));
  return result;
}

static napi_value jsSinceIdle(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc < 2 ? NULL : waiterArg(env, argv[0]);
  if (!c) return fail(env, "jackClient.sinceIdle: bad handle");
  size_t n = 0;
  void *data = NULL;
  napi_typedarray_type type;
  if (napi_get_typedarray_info(env, argv[1], &type, &n, &data, NULL, NULL) != napi_ok || type != napi_int32_array || n < 6) {
    return fail(env, "jackClient.sinceIdle: out must be an Int32Array of 6");
  }
  int32_t *out = (int32_t *)data;
  for (int i = 0; i < 6; i++) out[i] = -1;
  if (c->chainWakeUs == 0) return NULL; /* no blocking wait yet */
  jack_time_t now = jack_get_time();
  int64_t v[6] = { (int64_t)(now - c->chainDoneUs), (int64_t)(now - c->chainWakeUs), -1, -1, c->chainWakeLateUs, -1 };
  int64_t cpu = threadCpuNs(), delay = threadRunDelayNs(c);
  long switches = threadVoluntarySwitches();
  if (c->chainCpuNs >= 0 && cpu >= c->chainCpuNs) v[2] = (cpu - c->chainCpuNs) / 1000;
  if (c->chainRunDelayNs >= 0 && delay >= c->chainRunDelayNs) v[3] = (delay - c->chainRunDelayNs) / 1000;
  if (c->chainVoluntarySwitches >= 0 && switches >= c->chainVoluntarySwitches) v[5] = switches - c->chainVoluntarySwitches;
  for (int i = 0; i < 6; i++) out[i] = v[i] < 0 ? -1 : v[i] > INT32_MAX ? INT32_MAX : (int32_t)v[i];
  return NULL;
}

static napi_value jsClose(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc == 1 ? clientArg(env, argv[0]) : NULL;
  if (!c) return NULL;
  stopSentinel(env, c); /* before the client: it reads the client's clock */
  jack_deactivate(c->client);
  jack_client_close(c->client);
  openClients--;
  if (c->ctl) st(&c->ctl[STATE], STATE_CLOSED);
  sem_post(&c->cycle);
  for (int i = 0; i < 8; i++) if (c->refs[i]) napi_delete_reference(env, c->refs[i]);
  c->used = 0;
  c->client = NULL;
  c->ctl = NULL;
  return NULL;
}

static napi_value jsStartSentinel(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc == 2 ? clientArg(env, argv[0]) : NULL;
  if (!c || !c->ctl || c->sentinelRunning) return fail(env, "jackClient.startSentinel: bad handle, not active, or already started");
  napi_value o = argv[1];
  int32_t priority, intervalUs, thresholdUs;
  size_t nRing, nCtl;
  if (!intProp(env, o, "priority", &priority) || !intProp(env, o, "intervalUs", &intervalUs) || !intProp(env, o, "thresholdUs", &thresholdUs)
      || priority < 1 || priority > 99 || intervalUs < 100 || intervalUs > 100000 || thresholdUs < 0) {
    return fail(env, "jackClient.startSentinel: priority 1…99, intervalUs 100…100000 and thresholdUs ≥ 0 are required");
  }
  double *ring = typedArray(env, o, "ring", napi_float64_array, &nRing, &c->stallRefs[0]);
  int32_t *ctl = typedArray(env, o, "ctl", napi_int32_array, &nCtl, &c->stallRefs[1]);
  size_t records = nRing / R_SLOTS;
  if (!ring || !ctl || nCtl < S_CTL_SLOTS || records == 0 || (records & (records - 1)) != 0) {
    for (int i = 0; i < 2; i++) if (c->stallRefs[i]) { napi_delete_reference(env, c->stallRefs[i]); c->stallRefs[i] = NULL; }
    return fail(env, "jackClient.startSentinel: ring (3 × a power of two float64) and ctl (int32 × 4) are required");
  }
  c->stalls = ring;
  c->stallCapacity = (uint32_t)records;
  c->stallCtl = ctl;
  c->sentinelPriority = priority;
  c->sentinelIntervalUs = intervalUs;
  c->sentinelThresholdUs = thresholdUs;
  c->sentinelStop = 0;
  /* One sentinel per CPU this process may run on. */
  cpu_set_t allowed;
  if (sched_getaffinity(0, sizeof allowed, &allowed) != 0) return fail(env, "jackClient.startSentinel: sched_getaffinity failed");
  SentinelArg *args = sentinelArgs[c - clients];
  c->sentinelCount = 0;
  c->sentinelRealtimeCount = 0;
  for (int cpu = 0; cpu < CPU_SETSIZE && c->sentinelCount < MAX_SENTINELS; cpu++) if (CPU_ISSET(cpu, &allowed)) args[c->sentinelCount++] = (SentinelArg){ c, cpu };
  st(&c->stallCtl[S_REALTIME], 0);
  pthread_mutex_init(&c->sentinelWrite, NULL);
  for (int i = 0; i < c->sentinelCount; i++) {
    if (pthread_create(&c->sentinel[i], NULL, sentinelMain, &args[i]) != 0) {
      __atomic_store_n(&c->sentinelStop, 1, __ATOMIC_RELEASE);
      for (int j = 0; j < i; j++) pthread_join(c->sentinel[j], NULL);
      pthread_mutex_destroy(&c->sentinelWrite);
      return fail(env, "jackClient.startSentinel: pthread_create failed");
    }
  }
  c->sentinelRunning = 1;
  return NULL;
}

static napi_value jsMaxRealtimePriority(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Client *c = argc == 1 ? clientArg(env, argv[0]) : NULL;
  if (!c) return fail(env, "jackClient.maxRealtimePriority: bad handle");
  napi_value v;
  CHECK(napi_create_int32(env, jack_is_realtime(c->client) ? jack_client_max_real_time_priority(c->client) : 0, &v));
  return v;
}

static napi_value jsJackTimeUs(napi_env env, napi_callback_info info) {
  (void)info;
  if (openClients == 0) return fail(env, "jackClient.jackTimeUs: no JACK client is open (libjack's clock exists only while one is)");
  napi_value v;
  CHECK(napi_create_double(env, (double)jack_get_time(), &v));
  return v;
}

/* jackClockOffsetUs(out: Float64Array): out[0] = jack_get_time() minus CLOCK_MONOTONIC, µs, read in the
   narrowest of JACK_OFFSET_READS brackets (CLOCK_MONOTONIC before and after jack_get_time(), its middle the
   estimate: error ≤ half the bracket); out[1] = that bracket, µs. Returns nothing and allocates nothing, so
   the render worker can re-read the offset once a second (jackClockMap.ts) without garbage on its heap. */
#define JACK_OFFSET_READS 5
static double monotonicUs(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}
/* The Float64Array of at least `minLength` elements a function's only argument must be, or NULL (after
   throwing "<name>: expects a Float64Array of length >= <minLength>"). */
static double *float64Argument(napi_env env, napi_callback_info info, size_t minLength, const char *name) {
  size_t argc = 1;
  napi_value argv[1];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  napi_typedarray_type type;
  size_t length = 0;
  void *data = NULL;
  if (argc < 1 || napi_get_typedarray_info(env, argv[0], &type, &length, &data, NULL, NULL) != napi_ok || type != napi_float64_array || length < minLength) {
    char message[128];
    snprintf(message, sizeof message, "%s: expects a Float64Array of length >= %zu", name, minLength);
    fail(env, message);
    return NULL;
  }
  return (double *)data;
}

static napi_value jsJackClockOffsetUs(napi_env env, napi_callback_info info) {
  double *out = float64Argument(env, info, 2, "jackClient.jackClockOffsetUs");
  if (!out) return NULL;
  if (openClients == 0) return fail(env, "jackClient.jackClockOffsetUs: no JACK client is open (libjack's clock exists only while one is)");
  double best = INFINITY, offset = 0;
  for (int i = 0; i < JACK_OFFSET_READS; i++) {
    double t1 = monotonicUs();
    double jack = (double)jack_get_time();
    double t2 = monotonicUs();
    if (t2 - t1 < best) {
      best = t2 - t1;
      offset = jack - 0.5 * (t1 + t2);
    }
  }
  out[0] = offset;
  out[1] = best;
  return NULL;
}

/* monotonicNowMs(out: Float64Array): out[0] = CLOCK_MONOTONIC in ms (libuv's uv_hrtime(), so
   performance.now()'s clock up to a constant offset). Returns nothing, so a real-time thread can read
   the time without allocating: performance.now(), Date.now() and process.hrtime() each put a new heap
   number (or array) on the JavaScript heap in Node 20 (src/host/hostClock.ts). */
static napi_value jsMonotonicNowMs(napi_env env, napi_callback_info info) {
  double *out = float64Argument(env, info, 1, "jackClient.monotonicNowMs");
  if (!out) return NULL;
  out[0] = monotonicUs() / 1e3;
  return NULL;
}

/* out[0] = the calling thread's CPU time (CLOCK_THREAD_CPUTIME_ID), ms; NaN where unknown. One clock read, no
   allocation (a returned double would be boxed): the render thread stamps each block's start with it (audioHost.ts). */
static napi_value jsThreadCpuMs(napi_env env, napi_callback_info info) {
  double *out = float64Argument(env, info, 1, "jackClient.threadCpuMs");
  if (!out) return NULL;
  int64_t ns = threadCpuNs();
  out[0] = ns < 0 ? NAN : (double)ns / 1e6;
  return NULL;
}

static napi_value jsSetRealtime(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  int32_t priority = 10, cpu = -1;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc > 0) napi_get_value_int32(env, argv[0], &priority);
  /* The calling thread pinned to `cpu` (≥ 0; −1 or absent: left as it is). */
  if (argc > 2 && napi_get_value_int32(env, argv[2], &cpu) == napi_ok) {
    cpu_set_t set;
    if (cpu >= 0 && cpu < CPU_SETSIZE) { CPU_ZERO(&set); CPU_SET(cpu, &set); pthread_setaffinity_np(pthread_self(), sizeof set, &set); }
  }
  /* The thread's name (≤ 15 bytes), so ps -L, top and perf sched tell our real-time threads apart. */
  char name[16];
  size_t nameLength = 0;
  if (argc > 1 && napi_get_value_string_utf8(env, argv[1], name, sizeof name, &nameLength) == napi_ok && nameLength > 0) {
    pthread_setname_np(pthread_self(), name);
  }
  struct sched_param param = { .sched_priority = priority > 0 ? priority : 0 };
  /* SCHED_RESET_ON_FORK: threads and processes this thread creates start at normal priority (V8's and
     libuv's lazily created threads, jack_lsp, a child process) instead of inheriting real time. */
  int policy = priority > 0 ? (SCHED_FIFO | SCHED_RESET_ON_FORK) : SCHED_OTHER;
  napi_value v;
  CHECK(napi_create_int32(env, pthread_setschedparam(pthread_self(), policy, &param), &v));
  return v;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor d[] = {
    { "open", NULL, jsOpen, NULL, NULL, NULL, napi_default, NULL },
    { "activate", NULL, jsActivate, NULL, NULL, NULL, napi_default, NULL },
    { "connections", NULL, jsConnections, NULL, NULL, NULL, napi_default, NULL },
    { "waitCycle", NULL, jsWaitCycle, NULL, NULL, NULL, napi_default, NULL },
    { "sinceIdle", NULL, jsSinceIdle, NULL, NULL, NULL, napi_default, NULL },
    { "close", NULL, jsClose, NULL, NULL, NULL, napi_default, NULL },
    { "jackTimeUs", NULL, jsJackTimeUs, NULL, NULL, NULL, napi_default, NULL },
    { "startSentinel", NULL, jsStartSentinel, NULL, NULL, NULL, napi_default, NULL },
    { "maxRealtimePriority", NULL, jsMaxRealtimePriority, NULL, NULL, NULL, napi_default, NULL },
    { "setRealtime", NULL, jsSetRealtime, NULL, NULL, NULL, napi_default, NULL },
    { "monotonicNowMs", NULL, jsMonotonicNowMs, NULL, NULL, NULL, napi_default, NULL },
    { "threadCpuMs", NULL, jsThreadCpuMs, NULL, NULL, NULL, napi_default, NULL },
    { "jackClockOffsetUs", NULL, jsJackClockOffsetUs, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof d / sizeof d[0], d);
  return exports;
}
