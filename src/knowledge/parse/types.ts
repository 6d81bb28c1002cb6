/** The formats `parseDocument` understands. */
export type DocumentFormat = 'txt' | 'markdown' | 'html' | 'pdf' | 'docx' | 'csv' | 'json';

export type BlockKind = 'heading' | 'paragraph' | 'list_item' | 'table' | 'code';

/**
 * One structural unit of a document. `start`/`end` are UTF-16 offsets into `ParsedDocument.text`,
 * so `doc.text.slice(block.start, block.end) === block.text` always holds (citations rely on it).
 */
export interface Block {
  kind: BlockKind;
  text: string;
  /** 1–6, headings only. */
  level?: number;
  /** 1-based page number, PDF only. */
  page?: number;
  start: number;
  end: number;
}

/** A block before it is placed in the document text; parsers produce these. */
export type DraftBlock = Omit<Block, 'start' | 'end'>;

export interface ParsedDocument {
  format: DocumentFormat;
  title?: string;
  /** Every block's text joined with `BLOCK_SEPARATOR`. */
  text: string;
  blocks: Block[];
}

export interface DocumentInput {
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}
