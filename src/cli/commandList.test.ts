import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMANDS } from './commandList.ts';

const commandFiles = readdirSync(join(import.meta.dirname, 'commands'))
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'version.ts')
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

describe('the command list', () => {
  it('names every command module in ./commands, in order, once', () => {
    expect(COMMANDS.map((c) => c.name)).toEqual(commandFiles);
  });

  it.each(COMMANDS.map((c) => [c.name, c] as const))('loads %s, which registers the command it is listed as, with the listed arguments', async (name, entry) => {
    const program = new Command('rig');
    (await entry.load()).register(program);
    expect(program.commands.map((c) => c.name())).toEqual([name]);
    const usage = program.commands[0].registeredArguments.map((a) => (a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`)).join(' ');
    expect(usage).toBe(entry.args);
  });

  it('gives each command a one-line summary of at most 45 characters (the 80-column help list wraps longer ones)', () => {
    for (const c of COMMANDS) expect(c.summary, c.name).toMatch(/^[^\n]{1,45}$/);
  });
});
