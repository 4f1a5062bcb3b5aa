/**
 * The markers search hits put around matched words (control characters no message contains).
 * Apart from the schemas in chat-types.ts, so the Chats screen can use them without zod.
 */
export const HIGHLIGHT_START = '\u0002';
export const HIGHLIGHT_END = '\u0003';
