/** Bytes between the words touchPages writes: the smallest page size of the machines this runs on (x86-64, arm64: 4 KiB). */
const PAGE_BYTES = 4096;

/**
 * Writes every page of `buffers` once, changing nothing (an atomic add of 0 to one word a page, safe beside any other
 * thread using the memory), so that the thread that calls it is not the one that takes their page faults later.
 * A SharedArrayBuffer's pages are mapped on first write, and after the process forks (the control side runs
 * `jack_lsp` a dozen times as a server starts) every written page is copy-on-write until written again: measured on
 * the render thread of an effect on jack-native, ~190 faults a second writing the signal rings and ~3000 a second
 * filling the measurement tap in a scenario's first 1.4 s — a first touch 1.9 µs (p99.9 37–464 µs at load 6), a
 * copy-on-write one 1.1 µs. libjack locks the process's memory while a client is open (mlockall: VmLck 39 MB after
 * opening one here), which does not help: a fork still leaves locked pages copy-on-write. The render worker calls it
 * on what it writes, just before its stream starts.
 */
export function touchPages(buffers: readonly SharedArrayBuffer[]): void {
  for (const b of buffers) {
    const words = new Int32Array(b, 0, b.byteLength >> 2);
    for (let i = 0; i < words.length; i += PAGE_BYTES / 4) Atomics.add(words, i, 0);
  }
}

/** Every SharedArrayBuffer among `values`, or under the typed arrays and in the fields of the objects among them (nested). */
export function sharedBuffersIn(...values: unknown[]): SharedArrayBuffer[] {
  const found: SharedArrayBuffer[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) v = v.buffer;
    if (v instanceof SharedArrayBuffer) {
      if (!found.includes(v)) found.push(v);
    } else if (depth < 4 && v !== null && typeof v === 'object') {
      for (const field of Object.values(v)) visit(field, depth + 1);
    }
  };
  for (const v of values) visit(v, 0);
  return found;
}
