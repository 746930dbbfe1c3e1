import type { Command } from 'commander';

/**
 * `rig devices`: the audio devices a rig file can name — PortAudio devices with their host API, channel
 * counts and default rate, and the JACK server (rate, period, ports per client) or the fact that none is
 * running. Exit 0 with whatever was found; what could not be looked at is said, not an error.
 */
export function register(program: Command): void {
  program
    .command('devices')
    .description('list the audio devices a rig file can name: PortAudio devices (every host API, JACK included) with channel counts and default sample rates, and the JACK server with its rate, period and ports — or that none is running (none is started)')
    .option('--json', 'print the devices as JSON')
    .action(async (opts: { json?: boolean }) => {
      // PortAudio is probed in a child process with Debian's libportaudio2 preloaded (see deviceList.ts).
      const { listDevices } = await import('../../../hil/jack/deviceList.ts');
      const list = await listDevices();
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(list, null, 2)}\n`);
        return;
      }
      const pa = list.portaudio;
      if (!pa.available) process.stdout.write(`PortAudio: not available (${pa.problem})\n`);
      else {
        process.stdout.write(`PortAudio (${pa.library ?? 'bundled'}): ${pa.devices.length} device(s); host APIs: ${pa.hostApis.join(', ') || 'none'}\n`);
        if (pa.devices.length) {
          const width = Math.max(6, ...pa.devices.map((d) => d.name.length));
          process.stdout.write(`  ${'id'.padStart(3)}  ${'host API'.padEnd(8)}  ${'device'.padEnd(width)}  ${'inputs'.padStart(6)}  ${'outputs'.padStart(7)}  default rate\n`);
          for (const d of pa.devices) {
            process.stdout.write(`  ${String(d.id).padStart(3)}  ${d.hostApi.padEnd(8)}  ${d.name.padEnd(width)}  ${String(d.inputChannels).padStart(6)}  ${String(d.outputChannels).padStart(7)}  ${d.defaultSampleRateHz} Hz\n`);
          }
        }
      }
      const j = list.jack;
      if (!j.running) process.stdout.write(`JACK: ${j.note}\n`);
      else {
        process.stdout.write(`JACK: server running at ${j.sampleRateHz ?? '?'} Hz, ${j.periodFrames ?? '?'}-frame periods\n`);
        for (const c of j.clients) process.stdout.write(`  ${c.client}: ${c.outputPorts} output port(s) (audio into JACK), ${c.inputPorts} input port(s) (audio out of JACK)\n`);
      }
    });
}
