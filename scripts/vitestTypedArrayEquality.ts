import { expect } from 'vitest';
import { sameTypedArrayBytes } from '../src/testing/typedArrayEquality.ts';

/**
 * Setup file of every test project: toEqual / toStrictEqual decide two byte-identical typed arrays of the
 * same kind with one byte comparison (src/testing/typedArrayEquality.ts; every other pair as vitest always
 * did). Registered once per worker: the files that share a worker (isolate: false) run this file each, and
 * vitest keeps the testers in one list on globalThis for the worker's life.
 */
const testers = (globalThis as { [k: symbol]: { customEqualityTesters?: unknown[] } })[Symbol.for('$$jest-matchers-object')]?.customEqualityTesters;
if (!testers?.includes(sameTypedArrayBytes)) expect.addEqualityTesters([sameTypedArrayBytes]);
