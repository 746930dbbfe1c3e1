export { writeTextAtomic } from '../../src/io/atomicText.ts';
