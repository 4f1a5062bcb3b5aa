/**
 * Picks who is speaking from audio levels, with hysteresis: a new speaker must be the loudest
 * above the threshold for `holdMs` before the highlight moves, so that a cough or crosstalk
 * does not make the stage flicker.
 */
export interface SpeakerState {
  speaker: string | null;
  candidate: string | null;
  candidateSince: number;
}

export const SPEAKING_LEVEL = 0.02;

export function nextSpeaker(
  state: SpeakerState,
  levels: ReadonlyMap<string, number>,
  now: number,
  holdMs = 300,
): SpeakerState {
  let loudest: string | null = null;
  let loudestLevel = SPEAKING_LEVEL;
  for (const [id, level] of levels) {
    if (level > loudestLevel) {
      loudest = id;
      loudestLevel = level;
    }
  }
  if (loudest === null || loudest === state.speaker)
    return { ...state, candidate: null, candidateSince: now };
  if (loudest !== state.candidate) return { ...state, candidate: loudest, candidateSince: now };
  if (now - state.candidateSince >= holdMs)
    return { speaker: loudest, candidate: null, candidateSince: now };
  return state;
}
