/**
 * MIDI Polyphonic Expression zone facts (MPE 1.0, MMA/AMEI RP-053, 2018):
 * - A Lower Zone has its Manager Channel on MIDI channel 1 (index 0) and Member Channels 2, 3, …
 *   upwards; an Upper Zone has its Manager Channel on 16 (index 15) and Members 15, 14, … downwards.
 *   The zones together hold at most 15 Member Channels.
 * - Zones are configured with the MPE Configuration Message: RPN 6 (MSB 0, LSB 6) on the Manager
 *   Channel, Data Entry MSB = number of Member Channels (0 disables the zone).
 * - Default pitch-bend sensitivity: ±48 semitones on Member Channels, ±2 on the Manager Channel.
 * - Per-note expression on each Member Channel: channel pressure, 14-bit pitch bend, CC74 (timbre).
 * Channel numbers here are 0-based (0…15) as in EngineEvent.
 */
export type MpeZoneKind = 'lower' | 'upper';

export interface MpeZone {
  kind: MpeZoneKind;
  managerChannel: number;
  /** Member channels in allocation order. */
  memberChannels: number[];
  memberBendRangeSemitones: number;
  managerBendRangeSemitones: number;
}

export const MPE_DEFAULT_MEMBER_BEND_SEMITONES = 48;
export const MPE_DEFAULT_MANAGER_BEND_SEMITONES = 2;
export const MPE_TIMBRE_CC = 74;
/** The RPN that carries the MPE Configuration Message. */
export const MPE_CONFIGURATION_RPN = 6;

/** The zone with `memberCount` Member Channels (1…15). */
export function mpeZone(kind: MpeZoneKind, memberCount: number, memberBendRangeSemitones = MPE_DEFAULT_MEMBER_BEND_SEMITONES): MpeZone {
  if (!Number.isInteger(memberCount) || memberCount < 1 || memberCount > 15) {
    throw new RangeError(`MPE zone: memberCount must be an integer 1…15, got ${memberCount}`);
  }
  const managerChannel = kind === 'lower' ? 0 : 15;
  const step = kind === 'lower' ? 1 : -1;
  return {
    kind,
    managerChannel,
    memberChannels: Array.from({ length: memberCount }, (_, i) => managerChannel + step * (i + 1)),
    memberBendRangeSemitones,
    managerBendRangeSemitones: MPE_DEFAULT_MANAGER_BEND_SEMITONES,
  };
}

export function isMemberChannel(zone: MpeZone, channel: number): boolean {
  return zone.memberChannels.includes(channel);
}

/** A normalised pitch bend (−1…+1) in semitones on a channel of the zone. */
export function bendSemitones(zone: MpeZone, channel: number, bendNormalised: number): number {
  const range = channel === zone.managerChannel ? zone.managerBendRangeSemitones : zone.memberBendRangeSemitones;
  return bendNormalised * range;
}

/** The bytes of an MPE Configuration Message (RPN 6) for a zone, as a controller sends them. */
export function mpeConfigurationBytes(zone: MpeZone): number[] {
  const cc = 0xb0 | zone.managerChannel;
  return [cc, 101, 0, cc, 100, MPE_CONFIGURATION_RPN, cc, 6, zone.memberChannels.length];
}
