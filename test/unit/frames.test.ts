import { ClientFrame, ServerFrame, parseFrame } from '../../src-shared/protocol/frames';

describe('parseFrame', () => {
  it('parses valid frames', () => {
    expect(parseFrame(ClientFrame, '{"t":"ping","id":1,"ts":5}')).toEqual({
      ok: true,
      frame: { t: 'ping', id: 1, ts: 5 },
    });
    expect(
      parseFrame(
        ServerFrame,
        JSON.stringify({
          t: 'welcome',
          v: 5,
          serverId: 's',
          time: 1,
          nonce: 'n',
          serverKey: `${'A'.repeat(43)}=`,
          proof: `${'B'.repeat(86)}==`,
          tlsCert: 'c'.repeat(64),
          name: 'office',
        }),
      ).ok,
    ).toBe(true);
  });

  it('tells malformed JSON, unknown frame types and bad fields apart without throwing', () => {
    expect(parseFrame(ClientFrame, '{not json')).toMatchObject({
      ok: false,
      code: 'malformed_frame',
    });
    expect(parseFrame(ClientFrame, '{"t":"launch"}')).toMatchObject({
      ok: false,
      code: 'unknown_frame',
    });
    expect(parseFrame(ClientFrame, '{"t":"ping","id":"x","ts":1}')).toMatchObject({
      ok: false,
      code: 'malformed_frame',
      message: expect.stringContaining('id'),
    });
    expect(parseFrame(ClientFrame, 'null')).toMatchObject({ ok: false });
    expect(parseFrame(ClientFrame, '{"t":"ping","id":1,"ts":1,"extra":true}')).toMatchObject({
      ok: false,
      code: 'malformed_frame',
    });
  });
});
