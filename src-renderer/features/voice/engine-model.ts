/**
 * Which speech model the engine should run, and when a change to the models means starting
 * voice control again. Models change under a running session (an import, a download, another
 * one replacing the installed model), and a change can arrive while a start is already under
 * way with the model it read a moment earlier: that start must not be the last word.
 */
import type { VoiceModelStatus } from '../../../src-shared/ipc/voice-types';

/** One installed model's identity: a new import of other bytes is another model. */
export function modelKey(model: VoiceModelStatus): string {
  return `${model.url ?? ''}|${model.sha256 ?? ''}|${model.name ?? ''}`;
}

export interface ModelsChange {
  /** Voice control is switched on. */
  enabled: boolean;
  /** The session's last start failed (no model yet, say) or its engine stopped. */
  failed: boolean;
  /** The model the running engine, or the start under way, uses; null when there is none. */
  engineModel: string | null;
  /** The language's model in the new list. */
  model: VoiceModelStatus | undefined;
}

/** True when voice control should start again to use the models as they now are. */
export function needsRestart({ enabled, failed, engineModel, model }: ModelsChange): boolean {
  if (!enabled) return false;
  if (failed) return true;
  // A model still being imported or downloaded is not there yet; its "ready" comes later.
  return model?.state === 'ready' && modelKey(model) !== engineModel;
}
