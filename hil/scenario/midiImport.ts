import { readFileSync } from 'node:fs';
import { parseMidi } from 'midi-file';
import type { TimelineEvent } from './loadScenario.ts';

export interface ImportedMidiEvent {
  atMs: number;
  event: TimelineEvent;
  origin: string;
}

/**
 * Turns a Standard MIDI File into timeline events with the midi-file parser: note on/off (velocity-0
 * note-on is a note-off), channel pressure, 14-bit pitch bend (−1…+1), CC74 (timbre 0…1), and
 * CC120/123 as panic — so MPE performances recorded in a DAW replay as they were played. Tempo changes
 * (set tempo meta events, on any track) are honoured; SMPTE time division is supported.
 */
export function midiFileToTimeline(path: string): ImportedMidiEvent[] {
  const midi = parseMidi(readFileSync(path));
  const header = midi.header as { ticksPerBeat?: number; framesPerSecond?: number; ticksPerFrame?: number };
  // Absolute tick of every event, and a tempo map built from all tracks.
  const all: Array<{ tick: number; track: number; e: Record<string, unknown> }> = [];
  midi.tracks.forEach((track, t) => {
    let tick = 0;
    for (const e of track as unknown as Array<Record<string, unknown>>) {
      tick += e.deltaTime as number;
      all.push({ tick, track: t, e });
    }
  });
  all.sort((a, b) => a.tick - b.tick);
  const msAt = (() => {
    if (header.framesPerSecond && header.ticksPerFrame) {
      const msPerTick = 1000 / (header.framesPerSecond * header.ticksPerFrame);
      return (tick: number) => tick * msPerTick;
    }
    const ppq = header.ticksPerBeat ?? 480;
    const tempos = all.filter((x) => x.e.type === 'setTempo').map((x) => ({ tick: x.tick, usPerBeat: x.e.microsecondsPerBeat as number }));
    return (tick: number) => {
      let ms = 0;
      let lastTick = 0;
      let usPerBeat = 500000;
      for (const tp of tempos) {
        if (tp.tick > tick) break;
        ms += ((tp.tick - lastTick) * usPerBeat) / ppq / 1000;
        lastTick = tp.tick;
        usPerBeat = tp.usPerBeat;
      }
      return ms + ((tick - lastTick) * usPerBeat) / ppq / 1000;
    };
  })();
  const out: ImportedMidiEvent[] = [];
  for (const { tick, track, e } of all) {
    const channel = e.channel as number;
    let event: TimelineEvent | undefined;
    switch (e.type) {
      case 'noteOn':
        event = (e.velocity as number) > 0
          ? { type: 'noteOn', channel, note: e.noteNumber as number, velocity: e.velocity as number }
          : { type: 'noteOff', channel, note: e.noteNumber as number, velocity: 0 };
        break;
      case 'noteOff':
        event = { type: 'noteOff', channel, note: e.noteNumber as number, velocity: e.velocity as number };
        break;
      case 'channelAftertouch':
        event = { type: 'mpe', channel, pressure: (e.amount as number) / 127 };
        break;
      case 'pitchBend':
        event = { type: 'mpe', channel, bend: Math.max(-1, (e.value as number) / 8192) };
        break;
      case 'controller':
        if (e.controllerType === 74) event = { type: 'mpe', channel, timbre: (e.value as number) / 127 };
        else if (e.controllerType === 120 || e.controllerType === 123) event = { type: 'panic' };
        break;
      default:
        break;
    }
    if (event) out.push({ atMs: msAt(tick), event, origin: `midi track ${track} tick ${tick}` });
  }
  return out;
}
