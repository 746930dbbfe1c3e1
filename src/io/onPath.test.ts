import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { onPath } from './onPath.ts';

describe('onPath', () => {
  const dir = mkdtempSync(join(tmpdir(), 'onpath-'));
  const [a, b] = [join(dir, 'a'), join(dir, 'b')];
  mkdirSync(a);
  mkdirSync(b);
  writeFileSync(join(a, 'tool'), '#!/bin/sh\n');
  writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
  chmodSync(join(b, 'tool'), 0o755); // a/tool is not executable
  mkdirSync(join(a, 'adir'), { mode: 0o755 });
  const PATH = [a, b].join(delimiter);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the first executable regular file, skipping one that cannot be run and a directory', () => {
    expect(onPath('tool', PATH)).toBe(join(b, 'tool'));
    expect(onPath('adir', PATH)).toBeUndefined();
    expect(onPath('missing', PATH)).toBeUndefined();
  });

  it('answers what `command -v` answers for programs on this machine (sh, node, a name that is nowhere)', () => {
    for (const name of ['sh', 'node', 'no-such-tool-studio-rig']) {
      const shell = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
      expect(onPath(name), name).toBe(shell.status === 0 ? shell.stdout.trim() : undefined);
    }
  });

  it('takes names, never paths', () => {
    expect(onPath(join(b, 'tool'), PATH)).toBeUndefined();
    expect(onPath('../b/tool', a)).toBeUndefined();
    expect(onPath('', PATH)).toBeUndefined();
  });
});
