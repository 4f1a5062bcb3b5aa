import {
  inviteCodeFrom,
  inviteLink,
  parseInvite,
  serverAddress,
} from '../../src-shared/protocol/entities';
import { inviteInArgv } from '../../src-main/services/chat/invite-service';

const FP = '88a2 8138 5528 0543 aaf0 d6de 8421 7906 476b 6dec';
const HEX = FP.replace(/ /g, '');

describe('invite links that carry their server', () => {
  it('names a TLS server at the usual path by host:port, and reads it back', () => {
    const link = inviteLink('YFYZ6GYQGTB2', { url: 'wss://192.168.1.20:7600/ws', fingerprint: FP });
    expect(link).toBe(`beseda://join/192.168.1.20:7600/YFYZ6GYQGTB2#${HEX}`);
    expect(parseInvite(link)).toEqual({
      code: 'YFYZ6GYQGTB2',
      server: 'wss://192.168.1.20:7600/ws',
      fingerprint: HEX,
    });
  });

  it('writes any other server URL whole (plain ws, another path, IPv6) and reads it back', () => {
    for (const url of [
      'ws://10.0.0.5:7600/ws',
      'wss://chat.example.com/beseda',
      'wss://[fd00::2]:7600/ws',
    ]) {
      const invite = parseInvite(inviteLink('ABCDEFGHJKLM', { url, fingerprint: FP }));
      expect(invite?.server).toBe(new URL(url).toString());
      expect(invite?.fingerprint).toBe(HEX);
    }
    expect(serverAddress('wss://[fd00::2]:7600/ws')).toBe('[fd00::2]:7600');
  });

  it('takes a bare code or a code-only link as an invite to the server the app is on', () => {
    expect(parseInvite('yfyz-6gyq-gtb2')).toEqual({
      code: 'YFYZ6GYQGTB2',
      server: null,
      fingerprint: null,
    });
    expect(parseInvite('beseda://join/YFYZ6GYQGTB2')?.server).toBeNull();
    expect(inviteCodeFrom(`beseda://join/192.168.1.20:7600/YFYZ6GYQGTB2#${HEX}`)).toBe(
      'YFYZ6GYQGTB2',
    );
  });

  it('refuses links without a whole fingerprint or with a code that cannot be one', () => {
    expect(parseInvite('beseda://join/192.168.1.20:7600/YFYZ6GYQGTB2')).toBeNull();
    expect(
      parseInvite(`beseda://join/192.168.1.20:7600/YFYZ6GYQGTB2#${HEX.slice(0, 39)}`),
    ).toBeNull();
    expect(parseInvite(`beseda://join/192.168.1.20:7600/YFYZ0GYQGTB2#${HEX}`)).toBeNull();
    expect(parseInvite(`beseda://join/http%3A%2F%2Fx%2F/YFYZ6GYQGTB2#${HEX}`)).toBeNull();
    expect(parseInvite('hello there')).toBeNull();
  });

  it('finds the link among the arguments the system starts the app with', () => {
    const link = `beseda://join/10.0.0.1:7600/YFYZ6GYQGTB2#${HEX}`;
    expect(inviteInArgv(['/opt/Beseda/beseda', '--no-sandbox', link])).toBe(link);
    expect(inviteInArgv(['/opt/Beseda/beseda'])).toBeNull();
  });
});
