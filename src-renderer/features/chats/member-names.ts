/**
 * A name is not an identity: anyone can register as "Alice". Where two members of a room share a
 * display name, each is shown with the short fingerprint of their key, so people can tell them
 * apart (and compare it with what the person shows in their own profile).
 */
import type { Member } from '../../../src-shared/ipc/chat-types';

/** The label for each member id: the name, plus the fingerprint when the name is shared. */
export function memberLabels(members: readonly Member[]): Map<string, string> {
  const count = new Map<string, number>();
  for (const m of members) {
    const key = m.name.trim().toLocaleLowerCase();
    count.set(key, (count.get(key) ?? 0) + 1);
  }
  return new Map(
    members.map((m) => [
      m.userId,
      (count.get(m.name.trim().toLocaleLowerCase()) ?? 0) > 1 && m.fingerprint
        ? `${m.name} · ${m.fingerprint}`
        : m.name,
    ]),
  );
}
