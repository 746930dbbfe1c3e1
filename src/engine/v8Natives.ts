import v8 from 'node:v8';

/**
 * Two of V8's natives (`%`-syntax functions), for tests that hold or read a function's tier: allowed at run
 * time (--allow-natives-syntax, process-wide, as fullGc() exposes gc), each compiled once.
 */
let natives: { never: (f: unknown) => void; status: (f: unknown) => number } | undefined;
function load(): NonNullable<typeof natives> {
  if (!natives) {
    v8.setFlagsFromString('--allow-natives-syntax');
    natives = {
      never: new Function('f', '%NeverOptimizeFunction(f)') as (f: unknown) => void,
      status: new Function('f', 'return %GetOptimizationStatus(f)') as (f: unknown) => number,
    };
  }
  return natives;
}

/** Bit of %GetOptimizationStatus: the function runs optimised code (V8's OptimizationStatus::kOptimized, Node 20). */
const OPTIMIZED = 1 << 4;

/** V8 will never optimise `f`: it runs in the interpreter or baseline code, as a rarely called function does on a render thread. */
export function neverOptimize(f: unknown): void {
  load().never(f);
}

/** Whether `f` runs optimised code now (not deoptimised, nor marked for deoptimisation). */
export function isOptimized(f: unknown): boolean {
  return (load().status(f) & OPTIMIZED) !== 0;
}
