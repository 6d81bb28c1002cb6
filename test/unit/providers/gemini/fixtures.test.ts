import { fileURLToPath } from 'node:url';
import { createGeminiAdapter } from '../../../../src/providers/gemini/index.js';
import { describeFixtures } from '../anthropic/fixture-suite.js';

describeFixtures(
  'gemini',
  createGeminiAdapter,
  fileURLToPath(new URL('../../../fixtures/providers/gemini', import.meta.url)),
  'gemini-2.5-flash',
);
