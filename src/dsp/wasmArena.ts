import { type WasmMemory, createWasmMemory } from './wasmInstance.ts';

/**
 * Typed-array views carved one after another out of one WebAssembly memory of a fixed size, so that a
 * kernel in WebAssembly and its JavaScript reference work on the very same arrays (a view's
 * `byteOffset` is its address for the kernel). The memory is never grown: growing would detach every
 * view. Allocates only in prepare(); asking for more than was reserved throws.
 */
export class WasmArena {
  readonly memory: WasmMemory;
  private nextByte: number;
  private readonly endByte: number;

  /** Reserves `bytes` after the first `reservedBytes` (left to the kernel's header and parameters). */
  constructor(bytes: number, reservedBytes = 0) {
    this.nextByte = Math.ceil(reservedBytes / 16) * 16;
    this.endByte = this.nextByte + bytes;
    this.memory = createWasmMemory(this.endByte);
  }

  /** Bytes to reserve for views of these lengths (in elements of `bytesPerElement`), with their alignment. */
  static bytesFor(lengths: readonly number[], bytesPerElement: number): number {
    return lengths.reduce((total, n) => total + Math.ceil((n * bytesPerElement) / 16) * 16, 0);
  }

  /**
   * Where views of these sizes (bytes) start when carved in order from a fresh arena, and the bytes they
   * take: a kernel's text can name its arrays' addresses before the arena exists.
   */
  static offsetsOf(byteSizes: readonly number[]): { offsets: number[]; bytes: number } {
    const offsets: number[] = [];
    let next = 0;
    for (const bytes of byteSizes) {
      offsets.push(next);
      next += Math.ceil(bytes / 16) * 16;
    }
    return { offsets, bytes: next };
  }

  f64(length: number): Float64Array {
    return new Float64Array(this.memory.buffer, this.take(length * 8), length);
  }

  f32(length: number): Float32Array {
    return new Float32Array(this.memory.buffer, this.take(length * 4), length);
  }

  private take(bytes: number): number {
    const at = this.nextByte;
    if (at + bytes > this.endByte) throw new RangeError(`WasmArena: ${bytes} more bytes asked, ${this.endByte - at} left of the reservation`);
    this.nextByte = at + Math.ceil(bytes / 16) * 16;
    return at;
  }
}
