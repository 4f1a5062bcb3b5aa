import type { Presence } from '../../src-shared/protocol/entities';

/** A hue from a user id, so that a person keeps their colour everywhere and on every machine. */
export function avatarHue(userId: string): number {
  let hash = 0;
  for (let i = 0; i < userId.length; i++) hash = (hash * 31 + userId.charCodeAt(i)) >>> 0;
  return hash % 360;
}

/** Up to two initials of a name ("Anna Petrova" → "AP", "bob" → "B"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  return letters.map((w) => Array.from(w)[0]!.toUpperCase()).join('') || '?';
}

/** A person's avatar: initials on their colour, with their presence as a dot when given. */
export function Avatar({
  userId,
  name,
  size = 32,
  presence,
}: {
  userId: string;
  name: string;
  size?: 20 | 24 | 32 | 40;
  presence?: Presence;
}) {
  return (
    <span
      className={`ui-avatar size-${size}`}
      style={{ ['--avatar-hue' as string]: avatarHue(userId) }}
      aria-hidden="true"
      data-testid="ui-avatar"
    >
      {initials(name)}
      {presence ? <span className={`ui-avatar-presence presence-${presence}`} /> : null}
    </span>
  );
}
