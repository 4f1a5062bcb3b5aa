/**
 * Invite codes cannot be guessed: a guessing loop is refused after a handful of wrong codes (per
 * identity and per address, counted in /metrics), codes are long, and the room owner can revoke
 * a code and make a new one (joins with the old one are told it was revoked).
 */
import path from 'node:path';
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { INVITE_ALPHABET } from '../../src-shared/protocol/entities';
import { ask, signedIn, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';

const randomCode = () =>
  Array.from({ length: 12 }, () => INVITE_ALPHABET[Math.floor(Math.random() * 32)]).join('');

describe('server invite codes', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  beforeAll(async () => {
    server = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server') },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  it('refuses a guessing loop after a handful of wrong codes, even the right code then', async () => {
    const owner = await signedIn(server.url, 'Owner');
    const { room } = (await ask(owner.client, { t: 'room.create', name: 'Secret' })) as unknown as {
      room: { inviteCode: string };
    };
    expect(room.inviteCode).toMatch(/^[A-HJ-NP-Z2-9]{12}$/);
    const guesser = await signedIn(server.url, 'Guesser');
    const answers: string[] = [];
    for (let i = 0; i < 200; i++)
      answers.push(
        String((await ask(guesser.client, { t: 'room.join', code: randomCode() })).code),
      );
    expect(answers.slice(0, 5)).toEqual(new Array(5).fill('bad_invite'));
    expect(answers.slice(5)).toEqual(new Array(195).fill('rate_limited'));
    const right = await ask(guesser.client, { t: 'room.join', code: room.inviteCode });
    expect(right).toMatchObject({ code: 'rate_limited' });
    expect(String(right.message)).toMatch(/wrong invite codes/);

    // More identities from the same address share the address's allowance (4 identities' worth).
    const refusedFor: string[] = [];
    for (let n = 0; n < 4; n++) {
      const other = await signedIn(server.url, `Helper ${n}`);
      for (let i = 0; i < 5; i++)
        refusedFor.push(
          String((await ask(other.client, { t: 'room.join', code: randomCode() })).code),
        );
      other.client.close();
    }
    // 5 of the guesser's + 15 more wrong codes, then the address is refused as a whole.
    expect(refusedFor.filter((c) => c === 'bad_invite')).toHaveLength(15);
    expect(refusedFor.slice(15)).toEqual(new Array(5).fill('rate_limited'));

    const metrics = await (await fetch(`${server.httpUrl}/metrics`)).text();
    expect(metrics).toMatch(/^beseda_failed_joins_total 20$/m);
    expect(metrics).toMatch(/^beseda_joins_rate_limited_total 201$/m);
    owner.client.close();
    guesser.client.close();
  });

  it('lets the owner revoke a code and make a new one', async () => {
    // A server of its own: the address allowance above is spent.
    const fresh = await startSignalingServer(
      { host: '127.0.0.1', port: 0, dataDir: path.join(temp.dir, 'server-2') },
      silentLogger,
    );
    try {
      const owner = await signedIn(fresh.url, 'Owner');
      const member = await signedIn(fresh.url, 'Member');
      const late = await signedIn(fresh.url, 'Late');
      const { room } = (await ask(owner.client, { t: 'room.create', name: 'Team' })) as unknown as {
        room: { id: string; inviteCode: string; ownerId: string };
      };
      expect(room.ownerId).toBe(owner.userId);
      await ask(member.client, { t: 'room.join', code: room.inviteCode });
      expect(await ask(member.client, { t: 'room.invite.reset', roomId: room.id })).toMatchObject({
        code: 'forbidden',
      });
      const reset = (await ask(owner.client, {
        t: 'room.invite.reset',
        roomId: room.id,
      })) as unknown as { room: { inviteCode: string } };
      expect(reset.room.inviteCode).not.toBe(room.inviteCode);
      // The members' apps are told the new code.
      const changed = await member.client.next((f: Frame) => f.t === 'room.changed');
      expect(changed).toMatchObject({ room: { inviteCode: reset.room.inviteCode } });
      const old = await ask(late.client, { t: 'room.join', code: room.inviteCode });
      expect(old).toMatchObject({ code: 'invite_revoked' });
      expect(String(old.message)).toMatch(/revoked/);
      expect(await ask(late.client, { t: 'room.join', code: reset.room.inviteCode })).toMatchObject(
        { t: 'room' },
      );
      for (const u of [owner, member, late]) u.client.close();
    } finally {
      await fresh.close();
    }
  });
});
