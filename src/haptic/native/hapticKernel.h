/*
 * The haptic block kernels (hapticKernel.c, compiled for the installing machine) as the Node-API addon
 * (hapticKernelAddon.c, compiled for the baseline) calls them. Addresses are byte offsets into `m`, the
 * kernel memory, exactly as the WebAssembly exports take them (contract in src/haptic/mixKernel.ts).
 */
#ifndef HAPTIC_KERNEL_H
#define HAPTIC_KERNEL_H
#include <stdint.h>

void mixLinear(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t coef, int32_t numT);
void mixCubic(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t coef, int32_t numT);
void mixGain(uint8_t* m, int32_t out, int32_t strideB, int32_t src, int32_t frames, int32_t gains, int32_t numT);
void mixSpan(uint8_t* m, int32_t out, int32_t strideB, int32_t frames, int32_t numT, int32_t list, int32_t count, int32_t bus, int32_t gains);
void sineRun(uint8_t* m, int32_t dst, int32_t n, int32_t state, int32_t acc);
void sineRunMany(uint8_t* m, int32_t tab, int32_t count, int32_t n, int32_t bus);
void linearTaps(uint8_t* m, int32_t xs, int32_t ys, int32_t numT, int32_t args, int32_t coef);
/* finish, with channel t written to dst[t] (in place when dst is NULL); returns the clip count. */
int32_t finishInto(uint8_t* m, int32_t out, int32_t strideB, int32_t frames, int32_t numT, int32_t peak, int32_t sumsq, float* const* dst);

/* x86 instruction-set extensions a compiler may use under -march=native: one bit each in hapticKernelIsa. */
enum {
  HK_ISA_SSE4_1 = 1u << 0,
  HK_ISA_SSE4_2 = 1u << 1,
  HK_ISA_POPCNT = 1u << 2,
  HK_ISA_AVX = 1u << 3,
  HK_ISA_AVX2 = 1u << 4,
  HK_ISA_F16C = 1u << 5,
  HK_ISA_FMA = 1u << 6,
  HK_ISA_BMI = 1u << 7,
  HK_ISA_BMI2 = 1u << 8,
  HK_ISA_AVX512F = 1u << 9,
  HK_ISA_AVX512BW = 1u << 10,
  HK_ISA_AVX512DQ = 1u << 11,
  HK_ISA_AVX512VL = 1u << 12,
  HK_ISA_AVX512CD = 1u << 13,
  HK_ISA_AVX512VBMI = 1u << 14,
  HK_ISA_AVX512VBMI2 = 1u << 15,
  HK_ISA_AVX512VNNI = 1u << 16,
  HK_ISA_AVX512BITALG = 1u << 17,
  HK_ISA_AVX512VPOPCNTDQ = 1u << 18,
  HK_ISA_AVX512IFMA = 1u << 19,
  HK_ISA_AVX512BF16 = 1u << 20,
  HK_ISA_GFNI = 1u << 21,
  HK_ISA_VAES = 1u << 22,
  HK_ISA_VPCLMULQDQ = 1u << 23,
};
/* The extensions hapticKernel.c was compiled for (data, not code: readable before any kernel runs). */
extern const uint32_t hapticKernelIsa;

#endif
