import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { dropoutPictureSvg } from './dropoutPicture.ts';

describe('dropoutPictureSvg', () => {
  const sampleRate = 48_000;
  const capture = Float32Array.from({ length: 4800 }, (_, i) => (i >= 2000 && i < 2128 ? 0 : Math.sin((2 * Math.PI * 200 * i) / sampleRate)));
  const finding = { channelIndex: 3, startFrame: 12_000, lengthFrames: 128, kind: 'zeroed block', detector: 'residual' as const };

  it('draws a well-formed SVG labelled with the channel (from 1), kind and detector of the dropout', async () => {
    const svg = await dropoutPictureSvg(finding, { capture, captureStartFrame: 10_000, sampleRate });
    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).toContain('ch 4: zeroed block (residual)');
    const flag = await dropoutPictureSvg({ ...finding, channelIndex: -1, detector: 'backend-flag' }, { capture, captureStartFrame: 10_000, sampleRate });
    expect(flag).toContain('all channels: zeroed block (backend-flag)');
  });

  it('refuses a dropout outside the capture, naming both frame ranges', async () => {
    await expect(dropoutPictureSvg({ ...finding, startFrame: 90_000 }, { capture, captureStartFrame: 10_000, sampleRate, contextSeconds: 0.001 })).rejects.toThrow('frames 90000…90128 are outside the capture (10000…14800)');
  });
});
