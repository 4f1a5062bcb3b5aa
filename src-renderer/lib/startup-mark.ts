/** Marks the moment the first screen is on the page, for the startup bench and the Health screen. */
export const FIRST_SCREEN_MARK = 'app:first-screen';

const afterFirstScreen: (() => void)[] = [];

export function markFirstScreen(): void {
  if (performance.getEntriesByName(FIRST_SCREEN_MARK).length > 0) return;
  performance.mark(FIRST_SCREEN_MARK);
  for (const work of afterFirstScreen.splice(0)) setTimeout(work, 0);
}

/** Runs `work` once the first screen is on the page (so that it does not compete with it). */
export function whenFirstScreen(work: () => void): void {
  if (performance.getEntriesByName(FIRST_SCREEN_MARK).length > 0) setTimeout(work, 0);
  else afterFirstScreen.push(work);
}
