/**
 * A plain WAV header for 32-bit float PCM (WAVE_FORMAT_IEEE_FLOAT, or WAVE_FORMAT_EXTENSIBLE with the
 * float sub-format above two channels), written by hand because encoding long multichannel captures
 * through a general WAV library is far too slow; the data that follows is interleaved little-endian float32.
 */
export const WAV_FLOAT_HEADER_BYTES_PLAIN = 58; // RIFF(12) + fmt (8 + 18) + fact (8 + 4) + data header (8)
export const WAV_FLOAT_HEADER_BYTES_EXTENSIBLE = 80; // RIFF(12) + fmt (8 + 40) + fact (8 + 4) + data header (8)

/** `trailingBytes`: chunks written after the data chunk (cue markers), counted in the RIFF size. */
export function wavFloatHeader(channels: number, sampleRate: number, frames: number, trailingBytes = 0): Buffer {
  const extensible = channels > 2;
  const fmtBytes = extensible ? 40 : 18;
  const headerBytes = extensible ? WAV_FLOAT_HEADER_BYTES_EXTENSIBLE : WAV_FLOAT_HEADER_BYTES_PLAIN;
  const dataBytes = frames * channels * 4;
  const b = Buffer.alloc(headerBytes);
  let o = 0;
  const str = (s: string) => { b.write(s, o, 'ascii'); o += 4; };
  // Sizes past 4 GiB (a 60-minute, 32-channel capture is 22 GB) are saturated at 0xFFFFFFFF, as common
  // tools write them; readers then take the data to run to the end of the file (FloatWavReader does).
  const u32 = (v: number) => { b.writeUInt32LE(Math.min(v, 0xffffffff) >>> 0, o); o += 4; };
  const u16 = (v: number) => { b.writeUInt16LE(v, o); o += 2; };
  str('RIFF'); u32(headerBytes - 8 + dataBytes + trailingBytes); str('WAVE');
  str('fmt '); u32(fmtBytes);
  u16(extensible ? 0xfffe : 3); u16(channels); u32(sampleRate); u32(sampleRate * channels * 4); u16(channels * 4); u16(32);
  if (extensible) {
    u16(22); u16(32); u32(0); // cbSize, valid bits, channel mask (none: channels are not speaker positions)
    // KSDATAFORMAT_SUBTYPE_IEEE_FLOAT {00000003-0000-0010-8000-00aa00389b71}
    u32(3); u16(0); u16(0x10); b.set([0x80, 0x00, 0x00, 0xaa, 0x00, 0x38, 0x9b, 0x71], o); o += 8;
  } else {
    u16(0); // cbSize
  }
  str('fact'); u32(4); u32(frames);
  str('data'); u32(dataBytes);
  return b;
}
