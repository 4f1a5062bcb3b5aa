import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { RoomSummary } from '../../../src-shared/ipc/chat-types';
import type { InviteCheck } from '../../../src-shared/ipc/types';
import { call, onEvent } from '../../lib/api';
import { errorText } from './error-text';
import { Button } from '../../ui/Button';

/**
 * "Join with a code or link". A code, or a link for the server the app is on, joins at once; a
 * link for another server first shows who answers there (name, address, identity) and asks
 * before the app connects to it.
 */
export function JoinInvite({ onJoined }: { onJoined(room: RoomSummary): void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<{ text: string; check: InviteCheck } | null>(null);

  const accept = async (invite: string) => {
    setBusy(true);
    setError(null);
    try {
      const room = await call('invites.accept', { text: invite });
      setPending(null);
      setText('');
      onJoined(room);
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (event: FormEvent | null, given?: string) => {
    event?.preventDefault();
    const invite = (given ?? text).trim();
    if (given) setText(given);
    setBusy(true);
    setError(null);
    setPending(null);
    try {
      const check = await call('invites.check', { text: invite });
      if (!check.server) {
        setBusy(false);
        return accept(invite);
      }
      setPending({ text: invite, check });
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };

  // A link the system opened the app with: shown and checked as if pasted (asked before joining).
  useEffect(() => {
    const take = () =>
      void call('invites.takeOpened').then((opened) => {
        if (opened) void submit(null, opened);
      });
    take();
    return onEvent('invite.opened', take);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const server = pending?.check.server ?? null;
  return (
    <>
      <form onSubmit={(e) => void submit(e)} className="inline-form">
        <input
          data-testid="chat-join-code-input"
          aria-label={t('chats.joinCode')}
          placeholder={t('chats.joinCode')}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <Button type="submit" testId="chat-join-submit" disabled={busy || !text.trim()}>
          {busy ? t('chats.joining') : t('chats.join')}
        </Button>
      </form>
      {pending && server ? (
        <div
          className="invite-confirm"
          role="dialog"
          aria-modal="false"
          aria-labelledby="invite-confirm-title"
          data-testid="invite-confirm"
        >
          <h3 id="invite-confirm-title">{t('chats.inviteOtherServer')}</h3>
          <dl>
            <dt>{t('chats.inviteServerName')}</dt>
            <dd data-testid="invite-confirm-name">
              {server.name ?? t('chats.inviteServerUnknown')}
            </dd>
            <dt>{t('chats.inviteServerAddress')}</dt>
            <dd data-testid="invite-confirm-address">{server.address}</dd>
            <dt>{t('chats.inviteServerIdentity')}</dt>
            <dd>
              <code data-testid="invite-confirm-fingerprint">{server.fingerprint}</code>
            </dd>
          </dl>
          {server.problem ? (
            <p role="alert" data-testid="invite-confirm-problem">
              {server.problem}
            </p>
          ) : (
            <p className="muted">{t('chats.inviteSwitchExplain')}</p>
          )}
          {server.replacesTrusted ? (
            <p role="alert" data-testid="invite-confirm-replaces">
              {t('chats.inviteReplacesTrusted')}
            </p>
          ) : null}
          <div className="actions">
            <Button
              variant="primary"
              testId="invite-confirm-accept"
              disabled={busy || Boolean(server.problem)}
              autoFocus
              onClick={() => void accept(pending.text)}
            >
              {busy ? t('chats.inviteConnecting') : t('chats.inviteConnectAndJoin')}
            </Button>
            <Button testId="invite-confirm-cancel" onClick={() => setPending(null)}>
              {t('chats.cancel')}
            </Button>
          </div>
        </div>
      ) : null}
      {error ? (
        <p role="alert" data-testid="chat-join-error">
          {error}
        </p>
      ) : null}
    </>
  );
}
