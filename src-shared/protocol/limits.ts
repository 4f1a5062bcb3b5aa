/**
 * Limits and names of the wire protocol that need no schema. Kept apart from the zod schemas so
 * that the renderer can use them without building every schema at start (zod is loaded with the
 * first screen that validates something, not before the first screen).
 */

/** A message body may be at most this many characters; the UI refuses longer ones before sending. */
export const MAX_BODY_CHARS = 4000;
export const MAX_ROOM_NAME_CHARS = 80;
export const MAX_DISPLAY_NAME_CHARS = 64;

/** The scheme of the app's links (invites). */
export const LINK_SCHEME = 'beseda';
/** The path of the server's WebSocket endpoint. */
export const SERVER_WS_PATH = '/ws';

/** Mesh calls: every participant sends to every other; beyond this an SFU is needed. */
export const MAX_MESH_PARTICIPANTS = 10;
/** A call that rang this long ago no longer shows as incoming. */
export const RING_TIMEOUT_MS = 45_000;

/** Files: the server's default size limit (`--max-file-bytes`), and the size of one upload piece. */
export const DEFAULT_MAX_FILE_BYTES = 100 * 1024 * 1024;
export const UPLOAD_CHUNK_BYTES = 8 * 1024 * 1024;
/** Files one message may carry. */
export const MAX_FILES_PER_MESSAGE = 10;
/**
 * Image types the app shows inline (raster only, as found in the content); anything else, SVG
 * and HTML included, is only ever a download. The renderer and main's /media/ route share it.
 */
export const INLINE_IMAGE_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'image/avif',
]);
/** The longest side of a thumbnail the sender makes for an image, in pixels. */
export const THUMBNAIL_PX = 480;

/** Base64 of one piece of MediaRecorder output; bigger blobs are sent in several pieces. */
export const MAX_RECORDING_CHUNK_BASE64 = 768 * 1024;

/** A client says it is typing at most this often; a receiver shows it this long (protocol `typing`). */
export const TYPING_EVERY_MS = 3000;
export const TYPING_SHOWN_MS = 6000;
