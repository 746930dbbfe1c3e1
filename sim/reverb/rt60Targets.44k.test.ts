import { describePresetRt60Targets } from './presetRt60.ts';

describePresetRt60Targets(44100);
