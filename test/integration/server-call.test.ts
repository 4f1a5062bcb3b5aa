/** Call signaling on the real server: membership, relaying, refusals, moderation, resume. */
import { startSignalingServer, type RunningServer } from '../../src-server/signaling-server';
import { silentLogger } from '../../src-shared/log';
import { ask, signedIn as signedInAs, type Frame } from '../support/protocol-client';
import { makeTempDir } from '../support/temp-dir';
import type { FrameClient } from '../support/ws-client';

const MEDIA = {
  audio: true,
  video: true,
  screen: false,
  cameraStreamId: 'cam-1',
  screenStreamId: null,
};
const OFFER_SDP = [
  'v=0',
  'o=- 4611731400430051336 2 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 9 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 0.0.0.0',
  'a=rtpmap:111 opus/48000/2',
  '',
].join('\r\n');

interface CallFrame extends Frame {
  call: {
    callId: string;
    participants: {
      userId: string;
      forcedMute: boolean;
      reconnecting: boolean;
      media: { audio: boolean };
    }[];
    recording: unknown;
  };
  change: { kind: string; userId?: string };
}

const stateWith =
  (kind: string, userId?: string) =>
  (f: Frame): boolean =>
    f.t === 'call.state' &&
    (f as CallFrame).change.kind === kind &&
    (userId === undefined || (f as CallFrame).change.userId === userId);

describe('server call signaling', () => {
  const temp = makeTempDir();
  let server: RunningServer;
  const signedIn = (name: string, key?: Parameters<typeof signedInAs>[2]) =>
    signedInAs(server.url, name, key);

  beforeAll(async () => {
    server = await startSignalingServer(
      {
        host: '127.0.0.1',
        port: 0,
        dataDir: temp.dir,
        maxCallParticipants: 3,
        callResumeGraceMs: 400,
        // Many people from one address (this machine) sign up here.
        newIdentitiesBurst: 100,
      },
      silentLogger,
    );
  });
  afterAll(async () => {
    await server.close();
    temp.cleanup();
  });

  async function roomOf(owner: FrameClient, ...others: FrameClient[]) {
    const { room } = (await ask(owner, { t: 'room.create', name: 'Standup' })) as unknown as {
      room: { id: string; inviteCode: string };
    };
    for (const client of others) await ask(client, { t: 'room.join', code: room.inviteCode });
    return room.id;
  }

  it('rings members, relays signals between participants only, and refuses bad input', async () => {
    const alice = await signedIn('Alice');
    const bob = await signedIn('Bob');
    const carol = await signedIn('Carol');
    const eve = await signedIn('Eve');
    const roomId = await roomOf(alice.client, bob.client, carol.client);

    expect(
      await ask(eve.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' }),
    ).toMatchObject({
      code: 'not_member',
    });
    const started = (await ask(alice.client, {
      t: 'call.join',
      roomId,
      media: MEDIA,
      session: 'session-1',
    })) as CallFrame;
    expect(started.t).toBe('call');
    const callId = started.call.callId;
    // Members not in the call learn that it started (their app rings).
    await carol.client.next(stateWith('started', alice.userId));
    await bob.client.next(stateWith('started', alice.userId));
    expect(
      await alice.client.next((f: Frame) => f.t === 'presence' && f.userId === alice.userId),
    ).toMatchObject({ presence: 'in_call' });

    const joined = (await ask(bob.client, {
      t: 'call.join',
      roomId,
      media: MEDIA,
      session: 'session-1',
    })) as CallFrame;
    expect(joined.call.callId).toBe(callId);
    expect(joined.call.participants.map((p) => p.userId)).toEqual([alice.userId, bob.userId]);
    await alice.client.next(stateWith('joined', bob.userId));

    const offer = { kind: 'description', description: { type: 'offer', sdp: OFFER_SDP } };
    expect(
      await ask(alice.client, { t: 'call.signal', callId, to: bob.userId, signal: offer }),
    ).toMatchObject({ t: 'ok' });
    expect(await bob.client.next((f: Frame) => f.t === 'call.signal')).toMatchObject({
      callId,
      from: alice.userId,
      signal: offer,
    });

    // Malformed SDP: refused by schema with an error naming the field; the call goes on.
    const garbage = { kind: 'description', description: { type: 'offer', sdp: 'hello\nworld' } };
    expect(
      await ask(alice.client, { t: 'call.signal', callId, to: bob.userId, signal: garbage }),
    ).toMatchObject({ t: 'error', code: 'malformed_frame', message: expect.stringMatching(/sdp/) });
    // A candidate for somebody not in the call.
    const candidate = {
      kind: 'candidate',
      candidate: {
        candidate: 'candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host',
        sdpMid: '0',
      },
    };
    expect(
      await ask(alice.client, { t: 'call.signal', callId, to: carol.userId, signal: candidate }),
    ).toMatchObject({ code: 'unknown_peer' });
    // A frame from a member who is not in the call, and from a stranger.
    expect(
      await ask(carol.client, { t: 'call.signal', callId, to: bob.userId, signal: candidate }),
    ).toMatchObject({ code: 'not_in_call' });
    expect(
      await ask(eve.client, { t: 'call.signal', callId, to: bob.userId, signal: candidate }),
    ).toMatchObject({ code: 'not_in_call' });
    // Nothing of the refused frames reached Bob; the next good one does.
    expect(
      await ask(alice.client, { t: 'call.signal', callId, to: bob.userId, signal: candidate }),
    ).toMatchObject({ t: 'ok' });
    expect(await bob.client.next((f: Frame) => f.t === 'call.signal')).toMatchObject({
      signal: candidate,
    });

    // Decline: the others see who declined; the call is unchanged.
    expect(await ask(carol.client, { t: 'call.decline', callId })).toMatchObject({ t: 'ok' });
    await alice.client.next(stateWith('declined', carol.userId));

    // Recording is announced to everyone.
    await ask(bob.client, { t: 'call.record', callId, recording: true });
    const recording = (await carol.client.next(
      (f: Frame) => f.t === 'call.state' && (f as CallFrame).call.recording !== null,
    )) as CallFrame;
    expect(recording.call.recording).toMatchObject({ by: bob.userId });
    // Alice owns the room: she may stop Bob's recording (anyone else may not: see below).
    expect(await ask(alice.client, { t: 'call.record', callId, recording: false })).toMatchObject({
      t: 'ok',
    });

    // The full call refuses a fourth participant (this server allows 3).
    await ask(carol.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' });
    const dave = await signedIn('Dave');
    const rooms = (await ask(alice.client, { t: 'rooms.list' })) as unknown as {
      rooms: { id: string; inviteCode: string }[];
    };
    await ask(dave.client, {
      t: 'room.join',
      code: rooms.rooms.find((r) => r.id === roomId)!.inviteCode,
    });
    expect(
      await ask(dave.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' }),
    ).toMatchObject({
      code: 'call_full',
    });

    for (const u of [alice, bob, carol, eve, dave]) u.client.close();
  });

  it('lets only the room owner mute or remove, and enforces both on the server', async () => {
    const owner = await signedIn('Owner');
    const bob = await signedIn('Bob');
    const roomId = await roomOf(owner.client, bob.client);
    const { call } = (await ask(owner.client, {
      t: 'call.join',
      roomId,
      media: MEDIA,
      session: 'session-1',
    })) as CallFrame;
    await ask(bob.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' });

    expect(
      await ask(bob.client, {
        t: 'call.moderate',
        callId: call.callId,
        userId: owner.userId,
        action: 'mute',
      }),
    ).toMatchObject({ code: 'forbidden' });
    await ask(owner.client, {
      t: 'call.moderate',
      callId: call.callId,
      userId: bob.userId,
      action: 'mute',
    });
    const muted = (await bob.client.next(
      (f: Frame) =>
        f.t === 'call.state' && (f as CallFrame).call.participants.some((p) => p.forcedMute),
    )) as CallFrame;
    expect(muted.call.participants.find((p) => p.userId === bob.userId)).toMatchObject({
      forcedMute: true,
      media: { audio: false },
    });
    // Announcing audio again does not lift a forced mute.
    await ask(bob.client, {
      t: 'call.media',
      callId: call.callId,
      media: MEDIA,
      session: 'session-1',
    });
    const after = (await owner.client.next(stateWith('updated', bob.userId))) as CallFrame;
    expect(after.call.participants.find((p) => p.userId === bob.userId)?.media.audio).toBe(false);

    await ask(owner.client, {
      t: 'call.moderate',
      callId: call.callId,
      userId: bob.userId,
      action: 'remove',
    });
    await bob.client.next(stateWith('removed', bob.userId));
    expect(
      await ask(bob.client, {
        t: 'call.signal',
        callId: call.callId,
        to: owner.userId,
        signal: { kind: 'candidate', candidate: { candidate: '' } },
      }),
    ).toMatchObject({ code: 'not_in_call' });

    await ask(owner.client, { t: 'call.leave', callId: call.callId });
    await bob.client.next(stateWith('ended'));
    expect(await ask(bob.client, { t: 'calls.active' })).toMatchObject({ calls: [] });
    owner.client.close();
    bob.client.close();
  });

  it('holds moderation: no unmute by rejoining, no rejoin after removal, no hidden recording, no signals after leaving the room', async () => {
    const owner = await signedIn('Owner');
    const bob = await signedIn('Bob');
    const carol = await signedIn('Carol');
    const roomId = await roomOf(owner.client, bob.client, carol.client);
    const join = (who: { client: FrameClient }) =>
      ask(who.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' });
    const { call } = (await join(owner)) as CallFrame;
    const callId = call.callId;
    await join(bob);
    await join(carol);
    const moderate = (userId: string, action: string) =>
      ask(owner.client, { t: 'call.moderate', callId, userId, action });
    const bobIn = (f: CallFrame) => f.call.participants.find((p) => p.userId === bob.userId);

    // Muted by the owner, Bob leaves and joins again: still muted, audio off.
    await moderate(bob.userId, 'mute');
    await ask(bob.client, { t: 'call.leave', callId });
    const rejoined = (await join(bob)) as CallFrame;
    expect(bobIn(rejoined)).toMatchObject({ forcedMute: true, media: { audio: false } });
    await moderate(bob.userId, 'unmute');
    await ask(bob.client, { t: 'call.media', callId, media: MEDIA });
    const unmuted = (await owner.client.next(
      (f: Frame) => f.t === 'call.state' && bobIn(f as CallFrame)?.forcedMute === false,
    )) as CallFrame;
    expect(bobIn(unmuted)?.media.audio).toBe(true);

    // Removed, Bob cannot join again until the owner lets him.
    await moderate(bob.userId, 'remove');
    expect(await join(bob)).toMatchObject({ code: 'forbidden' });
    const removedState = (await owner.client.next(
      (f: Frame) =>
        f.t === 'call.state' &&
        ((f as CallFrame).call as { removed?: { userId: string }[] }).removed?.some(
          (r) => r.userId === bob.userId,
        ) === true,
    )) as CallFrame;
    expect(bobIn(removedState)).toBeUndefined();
    await moderate(bob.userId, 'allow');
    expect(await join(bob)).toMatchObject({ t: 'call' });

    // The owner records; Carol can neither take the recording over nor clear its flag.
    await ask(owner.client, { t: 'call.record', callId, recording: true });
    expect(await ask(carol.client, { t: 'call.record', callId, recording: true })).toMatchObject({
      code: 'forbidden',
    });
    expect(await ask(carol.client, { t: 'call.record', callId, recording: false })).toMatchObject({
      code: 'forbidden',
    });
    const calls = (await ask(bob.client, { t: 'calls.active' })) as unknown as {
      calls: { recording: { by: string } | null }[];
    };
    expect(calls.calls[0]!.recording).toMatchObject({ by: owner.userId });
    // Bob records too? No: one recording at a time, and the owner may stop Bob's.
    await ask(owner.client, { t: 'call.record', callId, recording: false });
    await ask(bob.client, { t: 'call.record', callId, recording: true });
    expect(await ask(owner.client, { t: 'call.record', callId, recording: false })).toMatchObject({
      t: 'ok',
    });

    // Carol leaves the room: she is out of its call, and can no longer signal anyone in it.
    await ask(carol.client, { t: 'room.leave', roomId });
    const left = (await carol.client.next(stateWith('left', carol.userId))) as CallFrame;
    expect(left.call.participants.map((p) => p.userId)).not.toContain(carol.userId);
    expect(
      await ask(carol.client, {
        t: 'call.signal',
        callId,
        to: owner.userId,
        signal: { kind: 'candidate', candidate: { candidate: '' } },
      }),
    ).toMatchObject({ code: 'not_in_call' });
    expect(await join(carol)).toMatchObject({ code: 'not_member' });
    for (const u of [owner, bob, carol]) u.client.close();
  });

  it('keeps a participant whose connection dropped for the grace period and lets them resume', async () => {
    const alice = await signedIn('Alice');
    const bob = await signedIn('Bob');
    const roomId = await roomOf(alice.client, bob.client);
    await ask(alice.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' });
    await ask(bob.client, { t: 'call.join', roomId, media: MEDIA, session: 'session-1' });

    bob.client.socket.terminate();
    const waiting = (await alice.client.next(stateWith('updated', bob.userId))) as CallFrame;
    expect(waiting.call.participants.find((p) => p.userId === bob.userId)?.reconnecting).toBe(true);

    const again = await signedIn('Bob', bob.key);
    const resumed = (await ask(again.client, {
      t: 'call.join',
      roomId,
      media: MEDIA,
      session: 'session-1',
    })) as CallFrame;
    expect(resumed.call.participants.map((p) => [p.userId, p.reconnecting])).toEqual([
      [alice.userId, false],
      [bob.userId, false],
    ]);
    // Past the grace period nobody was dropped.
    await new Promise((r) => setTimeout(r, 600));
    const active = (await ask(alice.client, { t: 'calls.active' })) as unknown as {
      calls: CallFrame['call'][];
    };
    expect(active.calls[0]!.participants).toHaveLength(2);

    // Without a resume, the participant is dropped after the grace period.
    again.client.socket.terminate();
    await alice.client.next(stateWith('left', bob.userId), 3000);
    alice.client.close();
  });
});
