import { listPortaudioDevicesQuietly } from '../jack/deviceList.ts';
import { rigFilePath } from './loadRig.ts';
import { pickDevice } from './pickDevice.ts';
import { type RigFile, readRigFile } from './rigFile.ts';

/**
 * Checks a rig before anything opens it: the file is valid (readRigFile) and, for a PortAudio rig, its
 * device exists with enough channels — probed in a quiet child process, so a missing device is one line
 * naming the devices there are (exit 2) instead of a page of ALSA messages and a crashed report. A JACK
 * rig's device appears only once its server runs, so it is checked when the rig starts. Returns the backend.
 */
export async function preflightRig(nameOrFile: string): Promise<RigFile['backend']> {
  if (nameOrFile === 'virtual') return 'virtual';
  const rig = readRigFile(rigFilePath(nameOrFile));
  // The re-executed CLI (Debian's PortAudio preloaded) was checked by its parent already.
  if (rig.backend === 'portaudio' && process.env.STUDIO_RIG_PA_REEXEC !== '1') {
    const probe = await listPortaudioDevicesQuietly();
    if (probe.available) {
      pickDevice(probe.devices, { rig: rig.name, device: rig.device, hostApi: rig.hostApi, inputChannels: rig.inputChannels, outputChannels: rig.outputChannels });
    }
  }
  return rig.backend;
}
