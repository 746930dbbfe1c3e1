/**
 * The run [startFrame, endFrame) of a disturbed region best explained as "the capture was zeroed there":
 * it maximises the residual energy removed by modelling the run as silence,
 *   gain(a, b) = Σ_{a≤n<b} (r[n]² − y[n]²),   r = y − g·e the residual of the current alignment,
 * found exactly by Kadane's maximum-subarray scan (O(length)). `explained` = gain / Σ r² over the region:
 * ≈ 1 for a zeroed block (inside it y is noise only and r² = (g·e)²), small for a shift or a glitch where the
 * capture still carries signal. A single zeroed sample at a loud part of a tone gives explained > 0.99.
 * `silent`: the capture is (nearly) zero in the run — its energy ≤ 1 % of the predicted one (or at the
 * floor) over the run and ≤ 10 % in every chunk of `chunkFrames`. Needed because silence "explains" a misaligned
 * tone too: E[r² − y²] = E[e²] when y and e have unrelated phases (a phase-inverting shift explains 75 %),
 * and a large drop near a burst's end leaves the capture's release where the render still sustains.
 */
export interface ZeroedRun {
  startFrame: number;
  endFrame: number;
  explained: number;
  silent: boolean;
}

export function fitZeroedRun(capture: Float32Array, predicted: (n: number) => number, lo: number, hi: number, chunkFrames: number, floorRms: number): ZeroedRun {
  let total = 0;
  let best = 0;
  let bestStart = lo;
  let bestEnd = lo;
  let run = 0;
  let runStart = lo;
  for (let n = lo; n < hi; n++) {
    const y = capture[n];
    const r = y - predicted(n);
    total += r * r;
    const d = r * r - y * y;
    if (run <= 0) {
      run = d;
      runStart = n;
    } else {
      run += d;
    }
    if (run > best) {
      best = run;
      bestStart = runStart;
      bestEnd = n + 1;
    }
  }
  // Samples where the render is below the floor carry no evidence either way (there d = r² − y² ≈ 0): trim them.
  while (bestEnd > bestStart && Math.abs(predicted(bestEnd - 1)) < floorRms) bestEnd--;
  while (bestStart < bestEnd && Math.abs(predicted(bestStart)) < floorRms) bestStart++;
  let silent = true;
  let capturedTotal = 0;
  let predictedTotal = 0;
  for (let c0 = bestStart; c0 < bestEnd && silent; c0 += chunkFrames) {
    const c1 = Math.min(bestEnd, c0 + chunkFrames);
    let captured = 0;
    let predictedEnergy = 0;
    for (let n = c0; n < c1; n++) {
      captured += capture[n] * capture[n];
      predictedEnergy += predicted(n) ** 2;
    }
    silent = captured <= Math.max(0.1 * predictedEnergy, (c1 - c0) * floorRms * floorRms);
    capturedTotal += captured;
    predictedTotal += predictedEnergy;
  }
  silent &&= capturedTotal <= Math.max(0.01 * predictedTotal, (bestEnd - bestStart) * floorRms * floorRms);
  return { startFrame: bestStart, endFrame: bestEnd, explained: total > 0 ? best / total : 0, silent };
}
