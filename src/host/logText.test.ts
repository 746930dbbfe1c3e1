import { describe, expect, it } from 'vitest';
import { escapeForLog } from './logText.ts';

describe('escapeForLog (remote text in one log line)', () => {
  it('turns newlines, carriage returns and terminal escapes into visible escapes', () => {
    const hostile = '/haptic/x\n[fake] server stopped\r\u001b[2J\u001b]0;pwned\u0007\u009b31m';
    const line = escapeForLog(hostile);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting none survive
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toBe('/haptic/x\\x0a[fake] server stopped\\x0d\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m');
  });

  it('doubles backslashes so a sender cannot forge an escape', () => {
    expect(escapeForLog('a\\x0ab')).toBe('a\\\\x0ab');
  });

  it('cuts long text and says how much was cut', () => {
    const line = escapeForLog('y'.repeat(70_000), 100);
    expect(line).toBe(`${'y'.repeat(100)}… (69900 more characters)`);
  });
});
