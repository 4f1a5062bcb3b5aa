/**
 * The browser host's one HTTP endpoint besides files: a speech model chosen with the page's
 * file picker is POSTed here as it is (the bridge's frames are too small for an archive).
 * Query: `language` (en, ru) and `name` (the file's name, for its kind). Answer: an Envelope of
 * the model's status, like a bridge call's. Electron has no such endpoint: it uses its dialog.
 */
export const MODEL_UPLOAD_PATH = '/voice-models/upload';
