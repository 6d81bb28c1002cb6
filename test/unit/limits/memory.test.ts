import { describe } from 'vitest';
import { createMemoryLimiter } from '../../../src/limits/index.js';
import { limiterContract } from './limiter.contract.js';

describe('memory limiter', () => {
  limiterContract(
    { name: 'memory', space: () => ({ limiter: (opts) => createMemoryLimiter(opts) }) },
    { 'two replicas stay exact under concurrent load': 'embedded mode is one process; its state is not shared' },
  );
});
