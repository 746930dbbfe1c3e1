import { describe, expect, it } from 'vitest';
import { guardRequest, normaliseOrigin } from './loopbackGuard.ts';

const o = { port: 8080, allowOrigins: new Set(['https://app.example.com']) };

describe('loopbackGuard', () => {
  it.each([
    ['localhost:8080', undefined, true],
    ['127.0.0.1:8080', 'http://127.0.0.1:8080', true],
    ['[::1]:8080', 'http://[::1]:8080', true],
    ['LOCALHOST:8080', 'https://app.example.com', true],
    ['evil.example:8080', undefined, false],
    ['127.0.0.1', undefined, false],
    ['127.0.0.1:8081', undefined, false],
    ['0.0.0.0:8080', undefined, false],
    [undefined, undefined, false],
    ['localhost:8080', 'https://evil.example', false],
    ['localhost:8080', 'null', false],
    ['localhost:8080', 'http://localhost:8081', false],
    ['localhost:8080', 'https://app.example.com.evil.example', false],
  ])('Host %s, Origin %s → allowed %s', (host, origin, ok) => {
    expect(guardRequest({ host, origin }, o).ok).toBe(ok);
  });

  it("marks only the bridge's own page as its own origin (no token needed)", () => {
    expect(guardRequest({ host: 'localhost:8080', origin: 'http://localhost:8080' }, o)).toEqual({ ok: true, ownOrigin: true });
    expect(guardRequest({ host: 'localhost:8080', origin: 'https://app.example.com' }, o)).toEqual({ ok: true, ownOrigin: false });
    expect(guardRequest({ host: 'localhost:8080' }, o)).toEqual({ ok: true, ownOrigin: false });
  });

  it('normalises --allow-origin values and refuses paths, other schemes and trailing slashes', () => {
    expect(normaliseOrigin('HTTPS://App.Example.com')).toBe('https://app.example.com');
    expect(normaliseOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    for (const bad of ['app.example.com', 'https://app.example.com/', 'https://app.example.com/x', 'ftp://x.example', 'https://u:p@x.example']) {
      expect(() => normaliseOrigin(bad)).toThrow(/--allow-origin/);
    }
  });
});

describe('loopbackGuard for the dev server (no allowed origins, Origin required on upgrades)', () => {
  it('refuses an upgrade without Origin only when asked to, and compares origins case-insensitively', () => {
    const o = { port: 8787 };
    expect(guardRequest({ host: 'localhost:8787' }, { ...o, requireOrigin: true })).toMatchObject({ ok: false, reason: 'origin' });
    expect(guardRequest({ host: 'localhost:8787' }, { ...o, requireOrigin: true, checkOrigin: false })).toMatchObject({ ok: true });
    expect(guardRequest({ host: 'localhost:8787' }, o)).toMatchObject({ ok: true, ownOrigin: false });
    expect(guardRequest({ host: 'LOCALHOST:8787', origin: 'http://LocalHost:8787' }, o)).toMatchObject({ ok: true, ownOrigin: true });
    expect(guardRequest({ host: 'localhost:8787', origin: 'http://localhost:8788' }, o)).toMatchObject({ ok: false, reason: 'origin' });
  });
});
