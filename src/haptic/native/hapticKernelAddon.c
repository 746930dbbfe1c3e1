/*
 * The Node-API face of the haptic block kernels (hapticKernel.c): createKernel(buffer) gives the kernels
 * bound to that buffer (a WebAssembly.Memory's, never grown), taking byte addresses into it exactly as
 * the WebAssembly exports do, plus finishTo/bindOutputs (finish straight into the host's arrays). Each
 * function holds the buffer (its `memory` property), so the memory outlives every function bound to it.
 *
 * This file is compiled for the baseline instruction set; hapticKernel.c for the machine that ran the
 * install (-march=native). Before any kernel runs, createKernel checks that this CPU has every extension
 * that file was compiled for (a build copied to an older CPU would otherwise die of SIGILL) and throws,
 * naming the missing one, when it does not: the engine then uses the WebAssembly kernels.
 */
#define NAPI_VERSION 8
#include "hapticKernel.h"
#include <node_api.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

/* The first extension hapticKernel.c was compiled for that this CPU lacks, or NULL. */
static const char* missingIsa(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
#define HAS(m, name) if ((hapticKernelIsa & HK_ISA_##m) && !__builtin_cpu_supports(name)) return name;
  HAS(SSE4_1, "sse4.1")
  HAS(SSE4_2, "sse4.2")
  HAS(POPCNT, "popcnt")
  HAS(AVX, "avx")
  HAS(AVX2, "avx2")
  HAS(F16C, "f16c")
  HAS(FMA, "fma")
  HAS(BMI, "bmi")
  HAS(BMI2, "bmi2")
  HAS(AVX512F, "avx512f")
  HAS(AVX512BW, "avx512bw")
  HAS(AVX512DQ, "avx512dq")
  HAS(AVX512VL, "avx512vl")
  HAS(AVX512CD, "avx512cd")
  HAS(AVX512VBMI, "avx512vbmi")
  HAS(AVX512VBMI2, "avx512vbmi2")
  HAS(AVX512VNNI, "avx512vnni")
  HAS(AVX512BITALG, "avx512bitalg")
  HAS(AVX512VPOPCNTDQ, "avx512vpopcntdq")
  HAS(AVX512IFMA, "avx512ifma")
  HAS(AVX512BF16, "avx512bf16")
  HAS(GFNI, "gfni")
  HAS(VAES, "vaes")
  HAS(VPCLMULQDQ, "vpclmulqdq")
#undef HAS
#endif
  return NULL;
}

/* ---- Node-API ---- */

enum { MAX_OUTPUTS = 256 };

/*
 * One kernel instance: the memory every function of it works on, and the host's output arrays bound by
 * bindOutputs (strong references, so a bound array outlives its use here; released on the next bind and
 * when the last function of the instance is collected).
 */
typedef struct {
  uint8_t* base;
  int32_t live; /* functions of this instance not yet collected */
  int32_t outputs;
  float* out[MAX_OUTPUTS];
  size_t length[MAX_OUTPUTS];
  napi_ref ref[MAX_OUTPUTS];
} Kernel;

static void releaseOutputs(napi_env env, Kernel* k) {
  for (int32_t t = 0; t < k->outputs; t++) napi_delete_reference(env, k->ref[t]);
  k->outputs = 0;
}

static void finalizeFunction(napi_env env, void* data, void* hint) {
  Kernel* k = data;
  if (--k->live > 0) return;
  releaseOutputs(env, k);
  free(k);
}

/* Up to 9 int32 arguments (missing ones 0) and the kernel instance. */
#define ARGS(count)                                                                                 \
  size_t argc = count;                                                                               \
  napi_value argv[count];                                                                            \
  void* data;                                                                                        \
  int32_t a[count];                                                                                  \
  if (napi_get_cb_info(env, info, &argc, argv, NULL, &data) != napi_ok) return NULL;                 \
  for (size_t i = 0; i < count; i++) a[i] = 0;                                                       \
  for (size_t i = 0; i < argc && i < count; i++) napi_get_value_int32(env, argv[i], &a[i]);         \
  Kernel* k = data;                                                                                  \
  uint8_t* m = k->base;

static napi_value int32Value(napi_env env, int32_t v) {
  napi_value r;
  napi_create_int32(env, v, &r);
  return r;
}

static napi_value jsMixLinear(napi_env env, napi_callback_info info) { ARGS(6) mixLinear(m, a[0], a[1], a[2], a[3], a[4], a[5]); return NULL; }
static napi_value jsMixCubic(napi_env env, napi_callback_info info) { ARGS(6) mixCubic(m, a[0], a[1], a[2], a[3], a[4], a[5]); return NULL; }
static napi_value jsMixGain(napi_env env, napi_callback_info info) { ARGS(6) mixGain(m, a[0], a[1], a[2], a[3], a[4], a[5]); return NULL; }
static napi_value jsMixSpan(napi_env env, napi_callback_info info) { ARGS(9) mixSpan(m, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]); return NULL; }
static napi_value jsSineRun(napi_env env, napi_callback_info info) { ARGS(4) sineRun(m, a[0], a[1], a[2], a[3]); return NULL; }
static napi_value jsSineRunMany(napi_env env, napi_callback_info info) { ARGS(4) sineRunMany(m, a[0], a[1], a[2], a[3]); return NULL; }
static napi_value jsLinearTaps(napi_env env, napi_callback_info info) { ARGS(5) linearTaps(m, a[0], a[1], a[2], a[3], a[4]); return NULL; }
static napi_value jsFinish(napi_env env, napi_callback_info info) { ARGS(6) return int32Value(env, finishInto(m, a[0], a[1], a[2], a[3], a[4], a[5], NULL)); }

/*
 * finishTo(out, strideB, frames, numT, peak, sumsq): finish, with channel t's result written to the t-th
 * bound output array instead of in place. −1 (and nothing done) when fewer than numT arrays are bound
 * or one of them is shorter than `frames` (or was detached since binding it).
 */
static napi_value jsFinishTo(napi_env env, napi_callback_info info) {
  ARGS(6)
  if (a[3] < 0 || a[3] > k->outputs || a[2] < 0) return int32Value(env, -1);
  for (int32_t t = 0; t < a[3]; t++) if (k->length[t] < (size_t)a[2]) return int32Value(env, -1);
  return int32Value(env, finishInto(m, a[0], a[1], a[2], a[3], a[4], a[5], k->out));
}

#define CHECK(call) do { if ((call) != napi_ok) { napi_throw_error(env, NULL, "hapticKernel: " #call " failed"); return NULL; } } while (0)

/*
 * bindOutputs(arrays): the Float32Arrays finishTo writes to (at most MAX_OUTPUTS); returns how many were
 * bound. The caller re-binds whenever the host passes other arrays, and checks before each finishTo that
 * they are still the bound ones at their length (a detached array reads length 0).
 */
static napi_value jsBindOutputs(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  void* data;
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, &data));
  Kernel* k = data;
  releaseOutputs(env, k);
  bool isArray = false;
  uint32_t count = 0;
  if (argc < 1 || napi_is_array(env, argv[0], &isArray) != napi_ok || !isArray) {
    napi_throw_type_error(env, NULL, "hapticKernel.bindOutputs: expected an array of Float32Arrays");
    return NULL;
  }
  CHECK(napi_get_array_length(env, argv[0], &count));
  if (count > MAX_OUTPUTS) count = MAX_OUTPUTS;
  for (uint32_t t = 0; t < count; t++) {
    napi_value e;
    bool isTyped = false;
    napi_typedarray_type type;
    size_t length;
    void* p;
    /* An element that is not a Float32Array with data ends the binding there (finishTo then answers −1). */
    if (napi_get_element(env, argv[0], t, &e) != napi_ok || napi_is_typedarray(env, e, &isTyped) != napi_ok || !isTyped) break;
    if (napi_get_typedarray_info(env, e, &type, &length, &p, NULL, NULL) != napi_ok || type != napi_float32_array || p == NULL) break;
    if (napi_create_reference(env, e, 1, &k->ref[t]) != napi_ok) break;
    k->out[t] = p;
    k->length[t] = length;
    k->outputs = (int32_t)t + 1;
  }
  bool pending = false;
  napi_value ignored;
  if (napi_is_exception_pending(env, &pending) == napi_ok && pending) napi_get_and_clear_last_exception(env, &ignored);
  return int32Value(env, k->outputs);
}

/* createKernel(buffer): the kernels bound to `buffer` (each function holds it as its `memory` property). */
static napi_value jsCreateKernel(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  bool isBuffer = false;
  if (argc < 1 || napi_is_arraybuffer(env, argv[0], &isBuffer) != napi_ok || !isBuffer) {
    napi_throw_type_error(env, NULL, "hapticKernel.createKernel: expected the WebAssembly memory's ArrayBuffer");
    return NULL;
  }
  const char* missing = missingIsa();
  if (missing != NULL) {
    char message[160];
    snprintf(message, sizeof message, "hapticKernel.createKernel: this CPU lacks %s, which the kernels were built for (rebuild them here: npm run build:native)", missing);
    napi_throw_error(env, NULL, message);
    return NULL;
  }
  void* base;
  size_t length;
  CHECK(napi_get_arraybuffer_info(env, argv[0], &base, &length));
  static const struct { const char* name; napi_callback cb; } fns[] = {
    { "mixLinear", jsMixLinear }, { "mixCubic", jsMixCubic }, { "mixSpan", jsMixSpan }, { "mixGain", jsMixGain },
    { "finish", jsFinish }, { "sineRun", jsSineRun }, { "sineRunMany", jsSineRunMany }, { "linearTaps", jsLinearTaps },
    { "finishTo", jsFinishTo }, { "bindOutputs", jsBindOutputs },
  };
  Kernel* k = calloc(1, sizeof *k);
  if (k == NULL) {
    napi_throw_error(env, NULL, "hapticKernel.createKernel: out of memory");
    return NULL;
  }
  k->base = base;
  napi_value kernel;
  CHECK(napi_create_object(env, &kernel));
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value fn;
    CHECK(napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].cb, k, &fn));
    k->live++;
    CHECK(napi_add_finalizer(env, fn, k, finalizeFunction, NULL, NULL));
    CHECK(napi_set_named_property(env, fn, "memory", argv[0]));
    CHECK(napi_set_named_property(env, kernel, fns[i].name, fn));
  }
  return kernel;
}

/* unsupported(): null when this CPU runs the kernels, else the first extension they were built for that it lacks. */
static napi_value jsUnsupported(napi_env env, napi_callback_info info) {
  const char* missing = missingIsa();
  napi_value r;
  if (missing == NULL) napi_get_null(env, &r);
  else napi_create_string_utf8(env, missing, NAPI_AUTO_LENGTH, &r);
  return r;
}

NAPI_MODULE_INIT() {
  napi_property_descriptor d[] = {
    { "createKernel", NULL, jsCreateKernel, NULL, NULL, NULL, napi_default, NULL },
    { "unsupported", NULL, jsUnsupported, NULL, NULL, NULL, napi_default, NULL },
  };
  napi_define_properties(env, exports, sizeof d / sizeof d[0], d);
  return exports;
}
