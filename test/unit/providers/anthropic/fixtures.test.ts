import { fileURLToPath } from 'node:url';
import { createAnthropicAdapter } from '../../../../src/providers/anthropic/index.js';
import { describeFixtures } from './fixture-suite.js';

describeFixtures(
  'anthropic',
  createAnthropicAdapter,
  fileURLToPath(new URL('../../../fixtures/providers/anthropic', import.meta.url)),
  'claude-sonnet-4-5',
);
