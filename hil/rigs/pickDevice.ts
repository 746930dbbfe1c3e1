import { RigError } from '../../src/host/audioRig.ts';

/** A PortAudio device as the rig needs to see it. */
export interface DeviceInfo {
  name: string;
  hostApi: string;
  inputChannels: number;
  outputChannels: number;
}

export interface DeviceWanted {
  /** The rig's name, for the message. */
  rig: string;
  /** Exact name, or a substring matching exactly one device. */
  device: string;
  hostApi?: string;
  inputChannels: number;
  outputChannels: number;
}

/**
 * The device a rig file names: the exact name, else the one device whose name contains it, on the
 * given host API; with enough channels. A RigError lists the devices otherwise (a configuration error).
 */
export function pickDevice<D extends DeviceInfo>(devices: readonly D[], want: DeviceWanted): D {
  const onApi = devices.filter((d) => !want.hostApi || d.hostApi.includes(want.hostApi));
  const exact = onApi.filter((d) => d.name === want.device);
  const partial = onApi.filter((d) => d.name.includes(want.device));
  const dev = exact[0] ?? (partial.length === 1 ? partial[0] : undefined);
  if (!dev) {
    const list = onApi.map((d) => `"${d.name}" (${d.hostApi}, ${d.inputChannels} in/${d.outputChannels} out)`).join(', ');
    throw new RigError(`${want.rig}: no single PortAudio device matches "${want.device}"${want.hostApi ? ` on ${want.hostApi}` : ''}; devices: ${list || 'none'} (rig devices lists them all)`);
  }
  if (dev.inputChannels < want.inputChannels || dev.outputChannels < want.outputChannels) {
    throw new RigError(`${want.rig}: device "${dev.name}" has ${dev.inputChannels} in/${dev.outputChannels} out, the rig needs ${want.inputChannels}/${want.outputChannels}`);
  }
  return dev;
}
