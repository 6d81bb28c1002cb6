export * from './errors.js';
export type * from './chat.js';
export type * from './stream-events.js';
