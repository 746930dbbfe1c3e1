import fc from 'fast-check';

/**
 * Seeded property tests. fast-check prints the seed and path of every failure; set FC_SEED (and
 * FC_PATH) to replay it, FC_NUM_RUNS to run more cases. Without FC_SEED a fresh seed is drawn and
 * printed here, so any run can be replayed.
 */
const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : Date.now() ^ (Math.random() * 0x100000000);
const numRuns = process.env.FC_NUM_RUNS ? Number(process.env.FC_NUM_RUNS) : undefined;
fc.configureGlobal({ seed, ...(process.env.FC_PATH ? { path: process.env.FC_PATH } : {}), ...(numRuns ? { numRuns } : {}) });
if (!process.env.FC_SEED) process.stdout.write(`fast-check seed ${seed} (replay with FC_SEED=${seed})\n`);
