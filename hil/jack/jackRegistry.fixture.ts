import { Buffer } from 'node:buffer';

/** A registry segment as JACK2 1.9.22 writes it (header, 8 server slots of 264 bytes), holding `servers`. */
export function registry(servers: { pid: number; name: string }[]): Buffer {
  const b = Buffer.alloc(70744);
  b.write('JACK'.split('').reverse().join(''), 0, 'latin1'); // u32 0x4a41434b, little-endian
  b.writeUInt32LE(1, 8); // type: POSIX shared memory
  b.writeUInt32LE(b.length, 12);
  b.writeUInt32LE(24 + 8 * 264, 16);
  b.writeUInt32LE(268, 20);
  servers.forEach((s, i) => {
    b.writeInt32LE(s.pid, 24 + i * 264);
    b.write(s.name, 24 + i * 264 + 4, 'utf8');
  });
  return b;
}
