/** The REAPER file protocol's version: both files carry it, and the generated script is built for it. */
export const PROTOCOL_VERSION = 1;

/**
 * A protocol file written for another version of the protocol — typically a ReaScript installed by an
 * older (or newer) Studio Rig. Names the file and both versions; reinstalling the script mends it.
 */
export class ProtocolVersionError extends Error {
  constructor(
    readonly file: string,
    readonly foundVersion: unknown,
    readonly expectedVersion: number = PROTOCOL_VERSION,
  ) {
    super(
      `${file}: protocol version ${JSON.stringify(foundVersion) ?? 'missing'}, this harness speaks version ${expectedVersion} ` +
        '(reinstall the script with `rig reaper install`)',
    );
    this.name = 'ProtocolVersionError';
  }
}
