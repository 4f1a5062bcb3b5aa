/** Voice control across the bridge: command history, speech models, hotkeys, tray state. */
import * as z from 'zod';
import { VoiceLanguage } from '../settings';

export const VoiceCategory = z.enum(['system', 'navigation', 'content', 'communication']);
const CommandId = z.string().regex(/^[a-z]+\.[A-Za-z]+$/, 'a command id like "system.mute"');

export const VoiceHistoryInput = z
  .object({
    at: z.number().int().nonnegative(),
    language: VoiceLanguage,
    /** What was heard after the wake phrase (never speech that did not address the app). */
    text: z.string().max(500),
    command: CommandId.nullable(),
    category: VoiceCategory.nullable(),
    confidence: z.number().min(0).max(1),
    outcome: z.enum(['done', 'failed', 'rejected']),
    /** An i18n key or rejection reason. */
    detail: z.string().max(200),
  })
  .strict();
export type VoiceHistoryInput = z.infer<typeof VoiceHistoryInput>;

export const VoiceHistoryEntry = VoiceHistoryInput.extend({ id: z.number().int() });
export type VoiceHistoryEntry = z.infer<typeof VoiceHistoryEntry>;

export const VoiceHistoryQuery = z
  .object({
    /** Words that the text or the command id must contain. */
    query: z.string().max(200).optional(),
    limit: z.number().int().min(1).max(1000).optional(),
  })
  .strict();

export const VoiceModelState = z.enum(['missing', 'ready', 'downloading', 'importing', 'error']);

export const VoiceModelStatus = z.object({
  language: VoiceLanguage,
  state: VoiceModelState,
  /** The model's folder name (e.g. vosk-model-small-en-us-0.15). */
  name: z.string().nullable(),
  /** Where the renderer loads the archive from; it changes whenever the model does. */
  url: z.string().nullable(),
  sizeBytes: z.number().nullable(),
  sha256: z.string().nullable(),
  /** verified: matched the published checksum; recorded: none published, ours noted. */
  checksum: z.enum(['verified', 'recorded']).nullable(),
  source: z.enum(['download', 'import', 'bundled']).nullable(),
  vocabularySize: z.number().int().nullable(),
  /** Whether the model accepts a runtime grammar (official small models do). */
  runtimeGrammar: z.boolean().nullable(),
  progress: z.object({ receivedBytes: z.number(), totalBytes: z.number().nullable() }).nullable(),
  error: z.string().nullable(),
  /** The catalog's download, when there is one for this language. */
  download: z.object({ url: z.string(), approxSizeMb: z.number() }).nullable(),
});
export type VoiceModelStatus = z.infer<typeof VoiceModelStatus>;

export const VoiceLanguageRef = z.object({ language: VoiceLanguage }).strict();
export const VoiceModelImportInput = z
  .object({ language: VoiceLanguage, path: z.string().min(1).max(4096) })
  .strict();

export const VoiceHotkey = z.object({
  action: z.enum(['toggleListening', 'pushToTalk', 'pushToTalkRelease', 'muteMicrophone']),
  /** pushToTalk: a pushToTalkRelease follows when the key is let go (hold-to-talk). */
  hold: z.boolean().optional(),
});
export type VoiceHotkey = z.infer<typeof VoiceHotkey>;

export const VoiceIndicatorState = z.enum(['off', 'idle', 'listening', 'heard']);
export type VoiceIndicatorState = z.infer<typeof VoiceIndicatorState>;

export const WindowAction = z.object({ action: z.enum(['show', 'hide', 'toggle']) }).strict();
export const WindowStatus = z.object({ supported: z.boolean(), visible: z.boolean() });
export type WindowStatus = z.infer<typeof WindowStatus>;
