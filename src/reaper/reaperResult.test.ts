import { describe, expect, it } from 'vitest';
import { ProtocolVersionError } from './protocolVersionError.ts';
import { parseResult, type ReaperResult, ResultFormatError, timeoutResult } from './reaperResult.ts';

const full: ReaperResult = {
  version: 1, request_id: 'r-1', status: 'error', message: '1 FX differ from expected_fx; nothing calibrated or rendered',
  lufs: -23.04, integrated_lufs: -23.04, short_term_lufs: -21.5,
  fx_errors: [{ track_index: 0, fx_index: 1, name: 'VST: ReaComp (Cockos)', expected: 'ReaXcomp' }], tracks_verified: 3,
};

describe('REAPER result', () => {
  it('round-trips through JSON unchanged', () => {
    expect(parseResult(JSON.stringify(full), 'r.json')).toEqual({ kind: 'result', result: full });
  });

  it('fills what an older script might leave out: no loudness, no FX errors', () => {
    const read = parseResult('{"version": 1, "request_id": "r", "status": "ok"}', 'r.json');
    expect(read).toEqual({ kind: 'result', result: { ...timeoutResult('r', ''), status: 'ok' } });
  });

  it('reads every strict prefix of a result as half-written, never as an error', () => {
    const text = JSON.stringify(full, null, 1);
    for (let n = 0; n < text.length; n++) expect(parseResult(text.slice(0, n), 'r.json').kind, `prefix of ${n} characters`).toBe('partial');
  });

  it('raises ProtocolVersionError naming the file and both versions for a result of another version', () => {
    const error = (() => {
      try {
        parseResult(JSON.stringify({ ...full, version: 2, status: 'done' }), '/res/fl_control_result.json');
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ProtocolVersionError);
    expect((error as Error).message).toMatch(/^\/res\/fl_control_result\.json: protocol version 2, this harness speaks version 1/);
    expect(() => parseResult('{"status": "ok"}', 'r.json')).toThrow(/r\.json: protocol version missing, this harness speaks version 1/);
  });

  it('raises ResultFormatError naming the field for a complete but invalid result', () => {
    expect(() => parseResult(JSON.stringify({ ...full, status: 'done' }), 'r.json')).toThrow(ResultFormatError);
    expect(() => parseResult(JSON.stringify({ ...full, tracks_verified: -1 }), 'r.json')).toThrow(/^r\.json: not a valid result: tracks_verified: got -1/);
  });
});
