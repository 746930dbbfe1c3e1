/**
 * Cue markers for a WAV file: a `cue ` chunk (one cue point per marker, at a sample frame of the `data`
 * chunk) and a `LIST`/`adtl` chunk with a `labl` (label text) per cue, as DAWs (Reaper, Audition, Sound
 * Forge) and wavefile read them. Written after the data chunk; every chunk padded to an even size.
 */
export interface WavCue {
  /** Sample frame in the data chunk (0-based). */
  frame: number;
  /** Shown by the DAW beside the marker; ASCII is safest (others are written as UTF-8). */
  label: string;
}

/** The `cue ` and `LIST` chunks for `cues` (empty buffer for none). */
export function wavCueChunks(cues: readonly WavCue[]): Buffer {
  if (cues.length === 0) return Buffer.alloc(0);
  const cue = Buffer.alloc(12 + 24 * cues.length);
  cue.write('cue ', 0, 'ascii');
  cue.writeUInt32LE(4 + 24 * cues.length, 4);
  cue.writeUInt32LE(cues.length, 8);
  cues.forEach((c, i) => {
    const o = 12 + 24 * i;
    const frame = Math.max(0, Math.min(0xffffffff, Math.round(c.frame)));
    cue.writeUInt32LE(i + 1, o); // cue point id
    cue.writeUInt32LE(frame, o + 4); // position (play order)
    cue.write('data', o + 8, 'ascii');
    cue.writeUInt32LE(0, o + 12); // chunk start
    cue.writeUInt32LE(0, o + 16); // block start
    cue.writeUInt32LE(frame, o + 20); // sample offset
  });
  const labels = cues.map((c, i) => {
    const text = Buffer.from(`${c.label}\0`, 'utf8');
    const size = 4 + text.length;
    const b = Buffer.alloc(8 + size + (size & 1));
    b.write('labl', 0, 'ascii');
    b.writeUInt32LE(size, 4);
    b.writeUInt32LE(i + 1, 8);
    text.copy(b, 12);
    return b;
  });
  const listBody = Buffer.concat([Buffer.from('adtl', 'ascii'), ...labels]);
  const list = Buffer.alloc(8);
  list.write('LIST', 0, 'ascii');
  list.writeUInt32LE(listBody.length, 4);
  return Buffer.concat([cue, list, listBody]);
}
