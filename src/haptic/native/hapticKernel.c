/*
 * The haptic engine's block kernels in C: the same contract and the same bits as the WebAssembly kernels
 * (src/haptic/mixKernel.ts: hapticMixWat.ts, hapticSourceWat.ts, hapticFinishWat.ts) and the JavaScript
 * reference (jsMixKernel.ts), at the machine's vector width. This file alone is compiled for the machine
 * that installs (-O3 -march=native, see binding.gyp) and always with -ffp-contract=off: no FMA contraction
 * and no reassociation (no -ffast-math), so every frame gets the same IEEE operations in the same order
 * as the reference path, whatever the vector width. hapticKernelAddon.c exposes it to Node (Node-API)
 * after checking that this CPU has every extension the file was compiled for (hapticKernelIsa).
 *
 * Why it exists: on an AVX-512 machine C at -O3 -march=native runs 16 float lanes where WebAssembly SIMD
 * has 4 (figures in the README, "Native haptic kernels"). nativeMixKernel.ts selects it in Node when built.
 *
 * Where the order matters (it is stated beside each function): mixSpan sums ((0 + y_0) + … + y_last) +
 * bus·g per frame; sineRunMany adds to the bus in table order; finish sums v² in four lanes per channel
 * (frames k, k+4, k+8, … in lane k), then (l0 + l1) + (l2 + l3), then the tail frames one by one.
 */
#include "hapticKernel.h"
#include <float.h>
#include <math.h>
#include <string.h>
#ifdef __AVX512F__
#include <immintrin.h>
#endif

typedef float v16sf __attribute__((vector_size(64)));
typedef float v16sfu __attribute__((vector_size(64), aligned(4)));
typedef float v8sf __attribute__((vector_size(32)));
typedef float v4sf __attribute__((vector_size(16)));
typedef float v4sfu __attribute__((vector_size(16), aligned(4)));
typedef int32_t v4si __attribute__((vector_size(16)));
typedef double v8df __attribute__((vector_size(64)));
typedef int64_t v8di __attribute__((vector_size(64)));
typedef double v4df __attribute__((vector_size(32)));
typedef int64_t v4di __attribute__((vector_size(32)));

#define F32(base, byte) ((float*)((base) + (uint32_t)(byte)))
#define I32(base, byte) ((int32_t*)((base) + (uint32_t)(byte)))
#define F64(base, byte) ((double*)((base) + (uint32_t)(byte)))

/* ---- the mix ---- */

/* out[t][n] += c0·x[n−D] + c1·x[n−D−1] per transducer (linear tap; coef: D[numT] i32, c0, c1, c2, c3 [numT] f32). */
void mixLinear(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t coef, int32_t numT) {
  const int32_t* D = I32(m, coef);
  const float* c0 = F32(m, coef) + numT;
  const float* c1 = c0 + numT;
  for (int32_t t = 0; t < numT; t++) {
    float* o = F32(m, out + t * strideB);
    const float* p = F32(m, src) - D[t];
    const float a = c0[t], b = c1[t];
    for (int32_t i = 0; i < frames; i++) o[i] = o[i] + (p[i] * a + p[i - 1] * b);
  }
}

/* out[t][n] += ((c0·x[n−D+1] + c1·x[n−D]) + c2·x[n−D−1]) + c3·x[n−D−2]. */
void mixCubic(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t coef, int32_t numT) {
  const int32_t* D = I32(m, coef);
  const float* c = F32(m, coef);
  for (int32_t t = 0; t < numT; t++) {
    float* o = F32(m, out + t * strideB);
    const float* p = F32(m, src) - D[t] + 1;
    const float a = c[numT + t], b = c[2 * numT + t], cc = c[3 * numT + t], d = c[4 * numT + t];
    for (int32_t i = 0; i < frames; i++) o[i] = o[i] + (((p[i] * a + p[i - 1] * b) + p[i - 2] * cc) + p[i - 3] * d);
  }
}

/* out[t][n] += g[t]·src[n]. */
void mixGain(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t gains, int32_t numT) {
  const float* x = F32(m, src);
  for (int32_t t = 0; t < numT; t++) {
    float* o = F32(m, out + t * strideB);
    const float g = F32(m, gains)[t];
    for (int32_t i = 0; i < frames; i++) o[i] = o[i] + x[i] * g;
  }
}

/** Frames per accumulator block of mixSpan: four 16-lane vectors (8 measured no faster). */
enum { SPAN_VECTORS = 4, SPAN_CHUNK = 16 * SPAN_VECTORS, MAX_STIMULI = 64 };

/*
 * One span written whole: out[t][n] = (((0 + y_0) + y_1) + … + y_{count−1}) + bus[n]·g[t] (the bus term
 * when bus ≠ 0), y_s = c0·x_s[n−D] + c1·x_s[n−D−1] of the s-th listed stimulus (list: i32 pairs [src, coef]).
 * `table` (the WebAssembly kernel's scratch) is not used.
 */
void mixSpan(uint8_t* m, int32_t out, int32_t strideB, int32_t frames, int32_t numT, int32_t list, int32_t count, int32_t bus, int32_t gains) {
  const int32_t* L = I32(m, list);
  if (count > MAX_STIMULI) count = MAX_STIMULI; /* pools hold at most 32 */
  const float* q[MAX_STIMULI]; /* x[n0 − D − 1] per stimulus for the present transducer */
  float a[MAX_STIMULI], b[MAX_STIMULI];
  const float* x = bus != 0 ? F32(m, bus) : NULL;
  for (int32_t t = 0; t < numT; t++) {
    for (int32_t e = 0; e < count; e++) {
      const int32_t coef = L[2 * e + 1];
      q[e] = F32(m, L[2 * e]) - I32(m, coef)[t] - 1;
      a[e] = F32(m, coef)[numT + t];
      b[e] = F32(m, coef)[2 * numT + t];
    }
    const float g = x ? F32(m, gains)[t] : 0;
    float* o = F32(m, out + t * strideB);
    int32_t f = 0;
    for (; f + SPAN_CHUNK <= frames; f += SPAN_CHUNK) {
      v16sf acc[SPAN_VECTORS];
      for (int k = 0; k < SPAN_VECTORS; k++) acc[k] = (v16sf){0};
      for (int32_t e = 0; e < count; e++) {
        const float* p = q[e] + f;
        const v16sf va = (v16sf){0} + a[e], vb = (v16sf){0} + b[e];
        for (int k = 0; k < SPAN_VECTORS; k++) acc[k] = acc[k] + (*(const v16sfu*)(p + 16 * k + 1) * va + *(const v16sfu*)(p + 16 * k) * vb);
      }
      if (x) {
        const v16sf vg = (v16sf){0} + g;
        for (int k = 0; k < SPAN_VECTORS; k++) acc[k] = acc[k] + *(const v16sfu*)(x + f + 16 * k) * vg;
      }
      for (int k = 0; k < SPAN_VECTORS; k++) *(v16sfu*)(o + f + 16 * k) = acc[k];
    }
    for (; f + 16 <= frames; f += 16) {
      v16sf acc = (v16sf){0};
      for (int32_t e = 0; e < count; e++) {
        const float* p = q[e] + f;
        acc = acc + (*(const v16sfu*)(p + 1) * ((v16sf){0} + a[e]) + *(const v16sfu*)p * ((v16sf){0} + b[e]));
      }
      if (x) acc = acc + *(const v16sfu*)(x + f) * ((v16sf){0} + g);
      *(v16sfu*)(o + f) = acc;
    }
    for (; f < frames; f++) {
      float acc = 0;
      for (int32_t e = 0; e < count; e++) acc = acc + (q[e][f + 1] * a[e] + q[e][f] * b[e]);
      if (x) acc = acc + x[f] * g;
      o[f] = acc;
    }
  }
}

/* ---- the sources ---- */

/* n samples of g·sin by quadrature rotation (state f64: g, cos, sin, cosStep, sinStep; cos/sin written back). */
void sineRun(uint8_t* m, int32_t dst, int32_t n, int32_t state, int32_t acc) {
  double* st = F64(m, state);
  const double g = st[0], cs = st[3], ss = st[4];
  double c = st[1], s = st[2];
  float* o = F32(m, dst);
  for (int32_t i = 0; i < n; i++) {
    double v = g * s;
    if (fabs(v) < 1e-30) v = 0;
    o[i] = acc ? (float)((double)o[i] + v) : (float)v;
    const double c2 = c * cs - s * ss;
    s = s * cs + c * ss;
    c = c2;
  }
  st[1] = c;
  st[2] = s;
}

/* The rotations of W table entries (48 bytes each: g, cos, sin, cosStep, sinStep f64, dst i32) over n samples, per lane as sineRun. */
#define SINE_GROUP(W, VD, VI, VF)                                                                                 \
  static void sineGroup##W(uint8_t* m, uint8_t* e, int32_t n, float* busp) {                                  \
    VD g, c, s, cs, ss;                                                                                         \
    float* d[W];                                                                                                \
    for (int k = 0; k < W; k++) {                                                                               \
      const double* x = (const double*)(e + 48 * k);                                                            \
      g[k] = x[0]; c[k] = x[1]; s[k] = x[2]; cs[k] = x[3]; ss[k] = x[4];                                      \
      d[k] = F32(m, *(const int32_t*)(e + 48 * k + 40));                                                        \
    }                                                                                                           \
    const VD tiny = (VD){0} + 1e-30;                                                                            \
    for (int32_t i = 0; i < n; i++) {                                                                           \
      VD v = g * s;                                                                                             \
      VI small = (v < tiny) & (v > -tiny);                                                                      \
      v = (VD)((VI)v & ~small);                                                                                 \
      if (busp) {                                                                                               \
        float b = busp[i];                                                                                      \
        for (int k = 0; k < W; k++) b = (float)((double)b + v[k]);                                              \
        busp[i] = b;                                                                                            \
      } else {                                                                                                  \
        const VF f = __builtin_convertvector(v, VF); /* each lane rounded as (float) is */                       \
        for (int k = 0; k < W; k++) d[k][i] = f[k];                                                             \
      }                                                                                                         \
      const VD c2 = c * cs - s * ss;                                                                            \
      s = s * cs + c * ss;                                                                                      \
      c = c2;                                                                                                   \
    }                                                                                                           \
    for (int k = 0; k < W; k++) {                                                                               \
      double* x = (double*)(e + 48 * k);                                                                        \
      x[1] = c[k]; x[2] = s[k];                                                                                 \
    }                                                                                                           \
  }
SINE_GROUP(8, v8df, v8di, v8sf)
SINE_GROUP(4, v4df, v4di, v4sf)

/*
 * sineRun for the first (count & −4) entries of the table: stored at each entry's dst when bus is 0, else
 * added to the bus in table order for each sample (f32(f64(bus) + v) once per entry). Eight at a time, then four.
 */
void sineRunMany(uint8_t* m, int32_t tab, int32_t count, int32_t n, int32_t bus) {
  const int32_t run = count & -4;
  float* busp = bus != 0 ? F32(m, bus) : NULL;
  int32_t k = 0;
  for (; k + 8 <= run; k += 8) sineGroup8(m, m + (uint32_t)tab + 48 * k, n, busp);
  for (; k < run; k += 4) sineGroup4(m, m + (uint32_t)tab + 48 * k, n, busp);
}

/* The linear taps of one stimulus (writeTapCoefficients, cubic = 0): args f64 [x, y, samplesPerMetre, gainLinear]. */
void linearTaps(uint8_t* m, int32_t xs, int32_t ys, int32_t numT, int32_t args, int32_t coef) {
  const double* a = F64(m, args);
  const double x = a[0], y = a[1], samplesPerMetre = a[2], gain = a[3];
  const double* X = F64(m, xs);
  const double* Y = F64(m, ys);
  int32_t* D = I32(m, coef);
  float* c0 = F32(m, coef) + numT;
  float* c1 = c0 + numT;
  float* c2 = c1 + numT;
  float* c3 = c2 + numT;
  int32_t t = 0;
#ifdef __AVX512F__
  /* Eight transducers at a time: per lane the same IEEE operations as the loop below (sqrt, division
     and floor are correctly rounded; the conversions truncate and round to nearest as the casts do). */
  const __m512d vx = _mm512_set1_pd(x), vy = _mm512_set1_pd(y), spm = _mm512_set1_pd(samplesPerMetre), vg = _mm512_set1_pd(gain);
  const __m512d one = _mm512_set1_pd(1), two = _mm512_set1_pd(2), zero = _mm512_setzero_pd();
  for (; t + 8 <= numT; t += 8) {
    const __m512d dx = _mm512_sub_pd(vx, _mm512_loadu_pd(X + t)), dy = _mm512_sub_pd(vy, _mm512_loadu_pd(Y + t));
    const __m512d d = _mm512_sqrt_pd(_mm512_add_pd(_mm512_mul_pd(dx, dx), _mm512_mul_pd(dy, dy)));
    const __m512d g = _mm512_div_pd(vg, _mm512_add_pd(one, _mm512_mul_pd(two, d)));
    const __m512d delay = _mm512_add_pd(_mm512_mul_pd(d, spm), zero);
    const __m512d fl = _mm512_roundscale_pd(delay, _MM_FROUND_TO_NEG_INF | _MM_FROUND_NO_EXC);
    const __m512d f = _mm512_sub_pd(delay, fl);
    _mm256_storeu_si256((__m256i*)(D + t), _mm512_cvttpd_epi32(fl));
    _mm256_storeu_ps(c0 + t, _mm512_cvtpd_ps(_mm512_mul_pd(g, _mm512_sub_pd(one, f))));
    _mm256_storeu_ps(c1 + t, _mm512_cvtpd_ps(_mm512_mul_pd(g, f)));
    _mm256_storeu_ps(c2 + t, _mm256_setzero_ps());
    _mm256_storeu_ps(c3 + t, _mm256_setzero_ps());
  }
#endif
  for (; t < numT; t++) {
    const double dx = x - X[t], dy = y - Y[t];
    const double d = sqrt(dx * dx + dy * dy);
    const double g = gain / (1 + 2 * d);
    const double delay = d * samplesPerMetre + 0.0;
    const double fl = floor(delay);
    const double f = delay - fl;
    D[t] = (int32_t)fl;
    c0[t] = (float)(g * (1 - f));
    c1[t] = (float)(g * f);
    c2[t] = 0;
    c3[t] = 0;
  }
}

/* ---- the output stage ---- */

/*
 * The limiter and meter on one vector (the WebAssembly finish's limitVector, lane for lane): av = |v|;
 * n counts av > 1; v ← pmax(−1, pmin(1, v)) (NaN → 1); av ← pmin(1, av); v ← 0 where av < FLT_MIN;
 * pk ← pmax(pk, av); ss ← ss + v·v. pmin(a, b) = b < a ? b : a, pmax(a, b) = a < b ? b : a.
 */
#define SELECT(VF, VI, mask, yes, no) ((VF)(((VI)(yes) & (mask)) | ((VI)(no) & ~(mask))))
#define LIMIT(VF, VI, v, pk, ss, n)                                                                     \
  do {                                                                                                  \
    const VF one = (VF){0} + 1.0f, minusOne = (VF){0} - 1.0f, fltMin = (VF){0} + FLT_MIN;               \
    VF av = (VF)((VI)(v) & 0x7fffffff);                                                                 \
    n = n - (av > one);                                                                                 \
    VF lo = SELECT(VF, VI, (v) < one, v, one);                                                          \
    v = SELECT(VF, VI, minusOne < lo, lo, minusOne);                                                    \
    av = SELECT(VF, VI, av < one, av, one);                                                             \
    v = (VF)((VI)(v) & (av >= fltMin));                                                                 \
    pk = SELECT(VF, VI, pk < av, av, pk);                                                               \
    ss = ss + v * v;                                                                                    \
  } while (0)

/* One tail frame (the WebAssembly finish's limitScalar). */
static inline float limitScalar(float s, int32_t* clipped, float* pks, float* sss) {
  if (fabsf(s) > 1) (*clipped)++;
  if (s > 1) s = 1;
  if (s < -1) s = -1;
  if (s != s) s = 1;
  float as = fabsf(s);
  if (as < FLT_MIN) { s = 0; as = 0; }
  *pks = *pks > as || as != as ? *pks : as; /* f32.max; neither is NaN here */
  *sss = *sss + s * s;
  return s;
}

static inline float max2(float a, float b) { return a > b ? a : b; }

/* One channel's four-lane meters reduced, its tail frames done (read at o, written at w), peak and sumsq stored. */
static int32_t finishTail(const float* o, float* w, int32_t vend, int32_t frames, const float pk[4], const float ss[4], float* peak, float* sumsq) {
  float pks = max2(max2(pk[0], pk[1]), max2(pk[2], pk[3]));
  if (pks < FLT_MIN) pks = 0;
  float sss = (ss[0] + ss[1]) + (ss[2] + ss[3]);
  int32_t clipped = 0;
  for (int32_t i = vend; i < frames; i++) w[i] = limitScalar(o[i], &clipped, &pks, &sss);
  *peak = pks;
  *sumsq = sss;
  return clipped;
}

/* One channel's vector frames [from, vend) four at a time (limitVector), read at o, written at w, continuing its four-lane meters. */
static void finishVectors4(const float* o, float* w, int32_t from, int32_t vend, v4sf* pk, v4sf* ss, v4si* n) {
  for (int32_t i = from; i < vend; i += 4) {
    v4sf v = *(const v4sfu*)(o + i);
    LIMIT(v4sf, v4si, v, *pk, *ss, *n);
    *(v4sfu*)(w + i) = v;
  }
}

#ifdef __AVX512F__
/*
 * Channels o[0..R) (written to w[0..R)) over frames [0, frames & −16), sixteen at a time, the same operations per lane as
 * limitVector (x86 min/max are the WebAssembly pmin/pmax with the operands swapped: minps(a, b) =
 * a < b ? a : b). The sum of squares keeps the four lanes and their order: the four quarters of each
 * vector are added to ss one after the other (frames k, k+4, k+8, k+12 into lane k); R channels at once
 * so their chains of additions overlap. The peak and the clip count do not depend on the order (max of
 * values ≥ +0, never NaN: av is clamped; a count). Returns the frames done.
 */
static inline __attribute__((always_inline)) int32_t finishVectors16(const int R, float* const* o, float* const* w, int32_t frames, v4sf* pk4, v4sf* ss4, v4si* n4) {
  const __m512 one = _mm512_set1_ps(1.0f), minusOne = _mm512_set1_ps(-1.0f), fltMin = _mm512_set1_ps(FLT_MIN);
  const __m512i minusOneI = _mm512_set1_epi32(-1);
  __m512 pk[4];
  __m128 ss[4];
  __m512i n[4];
  for (int r = 0; r < R; r++) { pk[r] = _mm512_setzero_ps(); ss[r] = (__m128)ss4[r]; n[r] = _mm512_setzero_si512(); }
  const int32_t end = frames & -16;
  for (int32_t i = 0; i < end; i += 16) {
    for (int r = 0; r < R; r++) {
      __m512 v = _mm512_loadu_ps(o[r] + i);
      __m512 av = _mm512_abs_ps(v);
      n[r] = _mm512_mask_sub_epi32(n[r], _mm512_cmp_ps_mask(av, one, _CMP_GT_OQ), n[r], minusOneI);
      v = _mm512_max_ps(_mm512_min_ps(v, one), minusOne);
      av = _mm512_min_ps(av, one);
      v = _mm512_maskz_mov_ps(_mm512_cmp_ps_mask(av, fltMin, _CMP_GE_OQ), v);
      pk[r] = _mm512_max_ps(av, pk[r]);
      const __m512 sq = _mm512_mul_ps(v, v);
      ss[r] = _mm_add_ps(ss[r], _mm512_castps512_ps128(sq));
      ss[r] = _mm_add_ps(ss[r], _mm512_extractf32x4_ps(sq, 1));
      ss[r] = _mm_add_ps(ss[r], _mm512_extractf32x4_ps(sq, 2));
      ss[r] = _mm_add_ps(ss[r], _mm512_extractf32x4_ps(sq, 3));
      _mm512_storeu_ps(w[r] + i, v);
    }
  }
  for (int r = 0; r < R; r++) {
    const float m = _mm512_reduce_max_ps(pk[r]);
    pk4[r] = (v4sf){ m, m, m, m };
    ss4[r] = (v4sf)ss[r];
    n4[r] = (v4si){ _mm512_reduce_add_epi32(n[r]), 0, 0, 0 };
  }
  return end;
}
#else
static inline int32_t finishVectors16(const int R, float* const* o, float* const* w, int32_t frames, v4sf* pk4, v4sf* ss4, v4si* n4) { return 0; }
#endif

/* finish for the R channels from `out`, written to w[0..R) (see finish). */
static inline __attribute__((always_inline)) int32_t finishRows(const int R, uint8_t* m, int32_t out, int32_t strideB, int32_t frames, float* const* w, float* peak, float* sumsq) {
  const int32_t vend = frames & -4;
  float* o[4];
  v4sf pk[4], ss[4];
  v4si n[4];
  for (int r = 0; r < R; r++) { o[r] = F32(m, out + r * strideB); pk[r] = (v4sf){0}; ss[r] = (v4sf){0}; n[r] = (v4si){0}; }
  const int32_t from = finishVectors16(R, o, w, vend, pk, ss, n);
  int32_t clipped = 0;
  for (int r = 0; r < R; r++) {
    finishVectors4(o[r], w[r], from, vend, &pk[r], &ss[r], &n[r]);
    const float pkr[4] = { pk[r][0], pk[r][1], pk[r][2], pk[r][3] };
    const float ssr[4] = { ss[r][0], ss[r][1], ss[r][2], ss[r][3] };
    clipped += n[r][0] + n[r][1] + n[r][2] + n[r][3];
    clipped += finishTail(o[r], w[r], vend, frames, pkr, ssr, peak + r, sumsq + r);
  }
  return clipped;
}

/*
 * Over numT channels: clamp to ±1 (NaN → 1), flush |v| < FLT_MIN, peak and Σv² per channel; returns the
 * count of |v| > 1. The result goes to dst[t] (in place when dst is NULL). Four channels at a time, then
 * one: sixteen frames at a time where the machine has AVX-512 (finishVectors16), then four at a time,
 * then the tail frames one by one.
 */
int32_t finishInto(uint8_t* m, int32_t out, int32_t strideB, int32_t frames, int32_t numT, int32_t peak, int32_t sumsq, float* const* dst) {
  int32_t clipped = 0;
  int32_t t = 0;
  float* w[4];
  for (; t + 4 <= numT; t += 4) {
    for (int r = 0; r < 4; r++) w[r] = dst ? dst[t + r] : F32(m, out + (t + r) * strideB);
    clipped += finishRows(4, m, out + t * strideB, strideB, frames, w, F32(m, peak) + t, F32(m, sumsq) + t);
  }
  for (; t < numT; t++) {
    w[0] = dst ? dst[t] : F32(m, out + t * strideB);
    clipped += finishRows(1, m, out + t * strideB, strideB, frames, w, F32(m, peak) + t, F32(m, sumsq) + t);
  }
  return clipped;
}

/* The ISA extensions this file was compiled for (-march=native), checked by the addon before any kernel runs. */
const uint32_t hapticKernelIsa = 0
#ifdef __SSE4_1__
    | HK_ISA_SSE4_1
#endif
#ifdef __SSE4_2__
    | HK_ISA_SSE4_2
#endif
#ifdef __POPCNT__
    | HK_ISA_POPCNT
#endif
#ifdef __AVX__
    | HK_ISA_AVX
#endif
#ifdef __AVX2__
    | HK_ISA_AVX2
#endif
#ifdef __F16C__
    | HK_ISA_F16C
#endif
#ifdef __FMA__
    | HK_ISA_FMA
#endif
#ifdef __BMI__
    | HK_ISA_BMI
#endif
#ifdef __BMI2__
    | HK_ISA_BMI2
#endif
#ifdef __AVX512F__
    | HK_ISA_AVX512F
#endif
#ifdef __AVX512BW__
    | HK_ISA_AVX512BW
#endif
#ifdef __AVX512DQ__
    | HK_ISA_AVX512DQ
#endif
#ifdef __AVX512VL__
    | HK_ISA_AVX512VL
#endif
#ifdef __AVX512CD__
    | HK_ISA_AVX512CD
#endif
#ifdef __AVX512VBMI__
    | HK_ISA_AVX512VBMI
#endif
#ifdef __AVX512VBMI2__
    | HK_ISA_AVX512VBMI2
#endif
#ifdef __AVX512VNNI__
    | HK_ISA_AVX512VNNI
#endif
#ifdef __AVX512BITALG__
    | HK_ISA_AVX512BITALG
#endif
#ifdef __AVX512VPOPCNTDQ__
    | HK_ISA_AVX512VPOPCNTDQ
#endif
#ifdef __AVX512IFMA__
    | HK_ISA_AVX512IFMA
#endif
#ifdef __AVX512BF16__
    | HK_ISA_AVX512BF16
#endif
#ifdef __GFNI__
    | HK_ISA_GFNI
#endif
#ifdef __VAES__
    | HK_ISA_VAES
#endif
#ifdef __VPCLMULQDQ__
    | HK_ISA_VPCLMULQDQ
#endif
    ;
