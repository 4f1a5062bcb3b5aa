/**
 * Mentions are written as "@Name" with a room member's display name (the composer completes
 * them). Schema-free, so that both the app's store (which counts mentions of its user) and the
 * Chats screen (which marks them) use the same rule: the name whole, not inside a longer word.
 */
const NOT_WORD = '[^\\p{L}\\p{N}_]';

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A pattern for "@Name" of any of these names (longest first, so "Anna Lee" wins over "Anna"). */
export function mentionPattern(names: readonly string[]): RegExp | null {
  const usable = [...new Set(names.map((n) => n.trim()).filter(Boolean))].sort(
    (a, b) => b.length - a.length,
  );
  if (usable.length === 0) return null;
  return new RegExp(`(?<=^|${NOT_WORD})@(${usable.map(escape).join('|')})(?=$|${NOT_WORD})`, 'giu');
}

/** Whether a message mentions this name. */
export function mentions(body: string, name: string): boolean {
  const pattern = mentionPattern([name]);
  return pattern !== null && pattern.test(body);
}
