import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkResourceFolder, COMMAND_FILE, removeStaleFiles, RESULT_FILE, writeCommand } from './protocolFiles.ts';
import { parseCommandFile, reaperCommandSchema, toWireCommand } from './reaperCommand.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rig-reaper-files-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (name: string): string => {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
};
const command = toWireCommand(parseCommandFile({ action: 'verify_fx', rpp_path: '/p/a.rpp' }, 'c.json'), 'req-7');

describe('REAPER protocol files', () => {
  it('removes an earlier run\'s command, result and temporaries, and nothing else of REAPER\'s', () => {
    const d = fresh('stale');
    const ours = [COMMAND_FILE, RESULT_FILE, `${RESULT_FILE}.tmp`, `${COMMAND_FILE}.3141592653`];
    const theirs = ['reaper.ini', 'fl_control_notes.txt', 'Scripts'];
    for (const f of [...ours, ...theirs.slice(0, 2)]) writeFileSync(join(d, f), '{');
    mkdirSync(join(d, 'Scripts'));
    expect(removeStaleFiles(d).sort()).toEqual([...ours].sort());
    expect(readdirSync(d).sort()).toEqual([...theirs].sort());
  });

  it('writes the command atomically: the file parses as the command, and no temporary is left', async () => {
    const d = fresh('write');
    await writeCommand(d, command);
    expect(readdirSync(d)).toEqual([COMMAND_FILE]);
    expect(reaperCommandSchema.parse(JSON.parse(readFileSync(join(d, COMMAND_FILE), 'utf8')))).toEqual(command);
  });

  it('names the resource folder when it is missing, a file, or cannot take the command, leaving nothing behind', async () => {
    expect(() => checkResourceFolder(join(dir, 'absent'))).toThrow(/absent: --resource-path: cannot be used \(ENOENT\)$/);
    writeFileSync(join(dir, 'plain'), '');
    expect(() => checkResourceFolder(join(dir, 'plain'))).toThrow(/plain: --resource-path: is not a folder$/);
    // /proc passes the access check even for root, but takes no new file: the write itself must fail cleanly.
    await expect(writeCommand('/proc', command)).rejects.toThrow(/^\/proc: --resource-path: fl_control_command\.json cannot be written \(ENOENT\)$/);
    expect(readdirSync('/proc').filter((f) => f.startsWith('fl_control'))).toEqual([]);
  });

  it.skipIf(process.getuid?.() === 0)('refuses a folder without write permission', () => {
    const d = fresh('readonly');
    rmSync(d, { recursive: true });
    mkdirSync(d, { mode: 0o555 });
    expect(() => checkResourceFolder(d)).toThrow(/--resource-path: is not writable \(EACCES\)/);
  });
});
