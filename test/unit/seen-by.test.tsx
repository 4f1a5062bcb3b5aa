/** Who is named under one's own newest message. */
import { seenBy, SEEN_BY_MAX_MEMBERS } from '../../src-renderer/features/chats/SeenBy';
import type { LocalMessage, Member } from '../../src-shared/ipc/chat-types';

const ME = `u_${'a'.repeat(32)}`;
const member = (n: number, readSeq: number): Member => ({
  userId: n === 0 ? ME : `u_${String(n).padStart(32, '0')}`,
  name: `Member ${n}`,
  presence: 'online',
  fingerprint: '',
  readSeq,
});
const message = (senderId: string, seq: number | null) =>
  ({ senderId, seq, clientId: 'c', state: seq === null ? 'pending' : 'sent' }) as LocalMessage;

describe('seen by', () => {
  const members = [member(0, 7), member(1, 7), member(2, 6), member(3, 9)];

  it('names the others who read up to my newest message, in member order', () => {
    expect(seenBy(message(ME, 7), members, ME).map((m) => m.name)).toEqual([
      'Member 1',
      'Member 3',
    ]);
  });

  it('says nothing for others’ messages, unsent ones, or big rooms', () => {
    expect(seenBy(message(members[1]!.userId, 5), members, ME)).toEqual([]);
    expect(seenBy(message(ME, null), members, ME)).toEqual([]);
    expect(seenBy(undefined, members, ME)).toEqual([]);
    const big = Array.from({ length: SEEN_BY_MAX_MEMBERS + 1 }, (_, i) => member(i, 10));
    expect(seenBy(message(ME, 7), big, ME)).toEqual([]);
  });
});
