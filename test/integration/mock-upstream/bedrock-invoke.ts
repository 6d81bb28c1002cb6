/**
 * The mock Bedrock's default InvokeModel answers for the embedding models (CATALOG.md §5), told
 * apart by body shape as Bedrock tells them apart by model: Titan `{inputText}` gets one vector and
 * `inputTextTokenCount`; Cohere `{texts}` gets one vector per text, as `{float: …}` when
 * `embedding_types` was sent and as a bare list otherwise, and no usage. Vectors are derived from
 * the text (`mockVector`) so tests can check which answer went where; their values are exact in
 * float32, so they survive the base64 round trip unchanged.
 */
export function mockVector(text: string, dimensions = 4): number[] {
  return Array.from({ length: dimensions }, (_, i) => (text.codePointAt(i % Math.max(1, text.length)) ?? 0) / 256);
}

/** The JSON answer, or undefined for a body neither family would accept (the mock's ValidationException). */
export function echoEmbeddings(body: any): unknown {
  if (typeof body?.inputText === 'string') {
    const text: string = body.inputText;
    return { embedding: mockVector(text, body.dimensions ?? 4), inputTextTokenCount: text.split(/\s+/).filter(Boolean).length };
  }
  if (Array.isArray(body?.texts) && typeof body.input_type === 'string') {
    const vectors = body.texts.map((t: string) => mockVector(t, body.output_dimension ?? 4));
    const byType = Array.isArray(body.embedding_types);
    return {
      id: 'mock-cohere-embed',
      embeddings: byType ? { float: vectors } : vectors,
      texts: body.texts.map((t: string) => t.toLowerCase()),
      response_type: byType ? 'embeddings_by_type' : 'embeddings_floats',
    };
  }
  return undefined;
}
