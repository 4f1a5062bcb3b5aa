/**
 * Invites that carry their server: `beseda://join/<address>/<code>#<fingerprint>`. Checking one
 * asks that server who it is (without signing in) so the user sees its name and address before
 * agreeing; accepting pins the fingerprint at that address, moves the app there (kept in
 * settings, the previous server remembered for the way back), waits for the sign-in and joins.
 * Every way this can fail is said in words: not reachable, refused, another identity, unknown or
 * revoked code.
 */
import { ApiError } from '../../../src-shared/ipc/api-error';
import type { ConnectionStatus, InviteCheck, InviteLinkInfo } from '../../../src-shared/ipc/types';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';
import type { Logger } from '../../../src-shared/log';
import {
  dialedAddress,
  displayAddress,
  inviteLink,
  LINK_SCHEME,
  parseInvite,
  type Invite,
} from '../../../src-shared/protocol/entities';
import type { SettingsService } from '../settings/settings-service';
import { ServerConnection } from '../sync/server-connection';
import { serverFingerprint, spacedFingerprint, type ServerPins } from '../sync/server-pins';
import type { SyncEngine } from '../sync/sync-engine';
import type { ChatService } from './chat-service';

const PROBE_TIMEOUT_MS = 8000;
const SIGN_IN_TIMEOUT_MS = 20_000;

export interface InviteDeps {
  settings: SettingsService;
  connection: ServerConnection;
  pins: ServerPins;
  chat: ChatService;
  sync: SyncEngine;
  clientInfo: { name: string; version: string };
  /** The addresses colleagues can reach the embedded server at (empty: it hosts for this app). */
  hostingUrls: () => string[];
  logger: Logger;
}

function isLoopback(url: string): boolean {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** The invite link among a process's arguments (how the system hands the app a clicked link). */
export function inviteInArgv(argv: readonly string[]): string | null {
  return argv.find((arg) => arg.toLowerCase().startsWith(`${LINK_SCHEME}://join/`)) ?? null;
}

export class InviteService {
  /** A link the system opened the app with, waiting for the window to ask about it. */
  private opened: string | null = null;
  private readonly openedListeners = new Set<(text: string) => void>();

  constructor(private readonly deps: InviteDeps) {}

  /** The system opened a beseda:// link: the window takes it (takeOpened) and asks the user. */
  open(text: string): void {
    if (!parseInvite(text)) {
      this.deps.logger.warn('ignored a link that is not an invite');
      return;
    }
    this.opened = text;
    for (const listener of this.openedListeners) listener(text);
  }

  onOpened(listener: (text: string) => void): () => void {
    this.openedListeners.add(listener);
    return () => this.openedListeners.delete(listener);
  }

  takeOpened(): string | null {
    const text = this.opened;
    this.opened = null;
    return text;
  }

  private parse(text: string): Invite {
    const invite = parseInvite(text);
    if (!invite)
      throw new ApiError(
        'invalid_input',
        'That is not an invite: paste the whole link (beseda://join/…) or the room code.',
      );
    return invite;
  }

  /** Whether an invite is for the server the app is on (a bare code always is). */
  private isCurrent(invite: Invite): boolean {
    if (!invite.server) return true;
    const status = this.deps.connection.status();
    const fingerprint = spacedFingerprint(invite.fingerprint!);
    if (status.state === 'online' && status.fingerprint === fingerprint) return true;
    const current = this.deps.connection.targetUrl();
    return current !== null && dialedAddress(current) === dialedAddress(invite.server);
  }

  /** What the invite names; for another server, who answers there (nothing is signed in). */
  async check(text: string): Promise<InviteCheck> {
    const invite = this.parse(text);
    if (this.isCurrent(invite)) return { code: invite.code, server: null };
    const url = invite.server!;
    const fingerprint = spacedFingerprint(invite.fingerprint!);
    const probe = await this.probe(url, fingerprint);
    const trusted = this.deps.pins.get(url);
    return {
      code: invite.code,
      server: {
        url,
        address: displayAddress(url),
        fingerprint,
        name: probe.name,
        problem: probe.problem,
        replacesTrusted: trusted !== null && trusted.fingerprint !== fingerprint,
      },
    };
  }

  /**
   * Joins the invite's room: on this server at once; on another, after moving the app there (the
   * user agreed to it with the check's answer in front of them).
   */
  async accept(text: string): Promise<RoomSummary> {
    const invite = this.parse(text);
    if (!this.isCurrent(invite)) await this.moveTo(invite.server!, invite.fingerprint!);
    return this.join(invite);
  }

  /** The invite to share for `code`: a link naming this server wherever others can reach it. */
  link(code: string, preferred?: string): InviteLinkInfo {
    const { connection, pins } = this.deps;
    const status = connection.status();
    const target = connection.targetUrl();
    const fingerprint = status.fingerprint ?? (target ? pins.get(target)?.fingerprint : null);
    const hosting = this.deps.hostingUrls();
    const url = status.embedded
      ? ((preferred && hosting.includes(preferred) ? preferred : hosting[0]) ?? null)
      : target;
    if (!url || !fingerprint || isLoopback(url))
      return { link: inviteLink(code), address: null, shareable: false };
    return {
      link: inviteLink(code, { url, fingerprint }),
      address: displayAddress(url),
      shareable: true,
    };
  }

  /** Connects to a server found on the network: its announced fingerprint is pinned first. */
  async connectTo(url: string, fingerprint: string): Promise<ConnectionStatus> {
    if (!/^wss?:\/\//.test(url) || !/^[0-9a-f ]{40,60}$/i.test(fingerprint))
      throw new ApiError('invalid_input', 'That is not a server address and fingerprint.');
    await this.moveTo(url, fingerprint.replace(/\s/g, ''));
    return this.deps.connection.status();
  }

  /** Joins on the server the app is on; an invite for another one is refused (use accept). */
  async joinHere(text: string): Promise<RoomSummary> {
    const invite = this.parse(text);
    if (!this.isCurrent(invite))
      throw new ApiError(
        'conflict',
        `This invite is for another server (${displayAddress(invite.server!)}); open it to be asked before connecting there.`,
      );
    return this.join(invite);
  }

  private async join(invite: Invite): Promise<RoomSummary> {
    try {
      return await this.deps.chat.joinRoom(invite.code);
    } catch (error) {
      const code = (error as ApiError).code;
      const cause = (error as Error).message;
      const where = this.whereAmI();
      if (code === 'not_found' && /revoked/.test(cause))
        throw new ApiError(
          'not_found',
          `The invite code ${invite.code} was revoked by the room's owner on ${where}; ask them for a new invite.`,
        );
      if (code === 'not_found')
        throw new ApiError(
          'not_found',
          invite.server
            ? `No room on ${where} has the invite code ${invite.code}; check it, or ask for a new invite.`
            : `No room on ${where} has the invite code ${invite.code}. If the code came alone, its room may be on another server: ask for the whole invite link.`,
        );
      throw error;
    }
  }

  private whereAmI(): string {
    const status = this.deps.connection.status();
    if (status.embedded) return 'this computer';
    const url = this.deps.connection.targetUrl();
    const address = url ? displayAddress(url) : 'this server';
    return status.serverName ? `${status.serverName} (${address})` : address;
  }

  /** Pins the invite's fingerprint at `url`, switches the app there and waits for the sign-in. */
  private async moveTo(url: string, fingerprint: string): Promise<void> {
    const { settings, pins, sync, connection } = this.deps;
    pins.expect(url, fingerprint);
    const current = settings.get();
    if (current.serverUrl !== url)
      settings.update({ serverUrl: url, previousServerUrl: current.serverUrl });
    await new Promise<void>((resolve, reject) => {
      let settled = false;
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        offSignedIn();
        offStatus();
        if (error) reject(error);
        else resolve();
      };
      const offSignedIn = sync.onSignedIn(() => {
        if (connection.targetUrl() === url) finish();
      });
      const offStatus = connection.onStatus((status) => {
        if (status.identityProblem && connection.targetUrl() === url)
          finish(
            new ApiError(
              'conflict',
              `The server at ${displayAddress(url)} is not the one the invite names: it shows the identity ${status.identityProblem.shown}, the invite ${status.identityProblem.expected}. Do not join; ask the person who sent the invite.`,
            ),
          );
      });
      const timer = setTimeout(() => {
        const why = connection.status().lastError;
        finish(
          new ApiError(
            'unavailable',
            `Could not sign in at ${displayAddress(url)}${why ? `: ${why}` : ''}. The app keeps trying; you can switch back in the sidebar.`,
          ),
        );
      }, SIGN_IN_TIMEOUT_MS);
      timer.unref();
      if (sync.isReady() && connection.targetUrl() === url) finish();
    });
  }

  /** Opens a connection to `url` only to read its welcome: its name, or why it is not usable. */
  private probe(
    url: string,
    fingerprint: string,
  ): Promise<{ name: string | null; problem: string | null }> {
    const probe = new ServerConnection({
      clientInfo: this.deps.clientInfo,
      logger: this.deps.logger.child({ part: 'invite-probe' }),
      backoff: { baseMs: PROBE_TIMEOUT_MS, maxMs: PROBE_TIMEOUT_MS },
      checkIdentity: (_url, key) => {
        const shown = serverFingerprint(key);
        return shown === fingerprint
          ? { state: 'pinned', fingerprint: shown }
          : { state: 'changed', fingerprint: shown, expected: fingerprint, pinnedFor: url };
      },
    });
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: { name: string | null; problem: string | null }) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        off();
        probe.close();
        resolve(result);
      };
      const off = probe.onStatus((status) => {
        if (status.state === 'online') finish({ name: status.serverName, problem: null });
        else if (status.identityProblem)
          finish({
            name: null,
            problem: `A different server answers at ${displayAddress(url)}: it shows the identity ${status.identityProblem.shown}, the invite names ${fingerprint}. Do not connect; ask the person who sent the invite.`,
          });
        else if (status.state === 'offline' && status.lastError)
          finish({ name: null, problem: status.lastError });
      });
      const timer = setTimeout(
        () =>
          finish({
            name: null,
            problem: `${displayAddress(url)} did not answer in time: a firewall may drop its port, or the computer is off or on another network`,
          }),
        PROBE_TIMEOUT_MS,
      );
      timer.unref();
      probe.connect({ url, embedded: false, source: 'settings' });
    });
  }
}
