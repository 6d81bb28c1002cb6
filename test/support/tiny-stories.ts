import { join } from 'node:path';
import { LlamaLogLevel, getLlama, type LlamaModel } from 'node-llama-cpp';

/** The in-repo GGUF fixture (stories260K, test/fixtures/models/README.md). */
export const TINY_STORIES = join(import.meta.dirname, '../fixtures/models/stories260K.gguf');

/**
 * The fixture's vocabulary alone (no weights, no context): its tokenizer and chat template, so a
 * test can count tokens exactly as the engine does. CPU only, never builds or downloads.
 */
export async function tinyStoriesVocabulary(): Promise<{ vocab: LlamaModel; close(): Promise<void> }> {
  const llama = await getLlama({ gpu: false, build: 'never', logLevel: LlamaLogLevel.error });
  const vocab = await llama.loadModel({ modelPath: TINY_STORIES, vocabOnly: true });
  return {
    vocab,
    async close() {
      await vocab.dispose();
      await llama.dispose();
    },
  };
}
