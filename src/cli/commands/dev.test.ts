import { describe, expect, it } from 'vitest';
import { runInProcess } from '../cliTestRunner.ts';
import { parseAttachTarget, register } from './dev.ts';

describe('rig dev', () => {
  it('prints the URL it serves the page on, on 127.0.0.1, and stops after --seconds', async () => {
    const run = runInProcess(register, ['dev', '--port', '0', '--seconds', '1.5']);
    let page: { status: number; isolated: string | null; body: string } | undefined;
    // The URL is printed once the server listens; fetch the page while it runs.
    const t0 = Date.now();
    while (!page && Date.now() - t0 < 10_000) {
      await new Promise((r) => setTimeout(r, 50));
      const printed = (process.stdout.write as unknown as { mock?: { calls: unknown[][] } }).mock?.calls.map((c) => String(c[0])).join('') ?? '';
      const url = /http:\/\/localhost:\d+\//.exec(printed)?.[0];
      if (url) {
        const r = await fetch(url);
        page = { status: r.status, isolated: r.headers.get('cross-origin-embedder-policy'), body: await r.text() };
      }
    }
    const result = await run;
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^http:\/\/localhost:\d+\/\n$/);
    expect(page).toMatchObject({ status: 200, isolated: 'require-corp' });
    expect(page?.body).toContain('<script type="module" src="page/main.js">');
  });

  it('takes a loopback host:port to attach to, and refuses anything else as a usage error', async () => {
    expect(parseAttachTarget('127.0.0.1:9000')).toEqual({ host: '127.0.0.1', port: 9000 });
    expect(parseAttachTarget('[::1]:9001')).toEqual({ host: '::1', port: 9001 });
    for (const bad of ['example.com:9000', '127.0.0.1', '127.0.0.1:99999']) {
      const r = await runInProcess(register, ['dev', '--port', '0', '--attach', bad, '--seconds', '0.1']);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toMatch(/--attach .*expected/);
    }
  });
});
