/** Marks the moment the first screen is on the page, for the startup bench and the Health screen. */
export const FIRST_SCREEN_MARK = 'app:first-screen';

export function markFirstScreen(): void {
  if (performance.getEntriesByName(FIRST_SCREEN_MARK).length === 0)
    performance.mark(FIRST_SCREEN_MARK);
}
