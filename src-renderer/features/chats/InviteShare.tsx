import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InviteLinkInfo } from '../../../src-shared/ipc/types';
import { displayAddress } from '../../../src-shared/protocol/addresses';
import { call, useLive } from '../../lib/api';
import { Button } from '../../ui/Button';

/**
 * A room's invite: the code and the link to send, which names this server (address and identity)
 * when colleagues on other computers can reach it, and says what to turn on when they cannot.
 */
export function InviteShare({ code }: { code: string }) {
  const { t } = useTranslation();
  const connection = useLive('connection.status', 'connection.changed');
  const hosting = useLive('hosting.status', 'hosting.changed');
  const [info, setInfo] = useState<InviteLinkInfo | null>(null);
  const [copied, setCopied] = useState(false);
  // While hosting on several networks (Wi-Fi and a VPN, say), the user picks the address the
  // colleague can reach; the first one that answers is the default.
  const addresses = connection.value?.embedded ? (hosting.value?.addresses ?? []) : [];
  const [chosen, setChosen] = useState<string | null>(null);
  const url =
    addresses.find((a) => a.url === chosen)?.url ??
    addresses.find((a) => a.reachable)?.url ??
    addresses[0]?.url;
  const key = `${connection.value?.fingerprint}|${connection.value?.url}|${hosting.value?.state}|${url}`;
  useEffect(() => {
    let live = true;
    call('invites.link', url ? { code, url } : { code })
      .then((next) => live && setInfo(next))
      .catch(() => live && setInfo(null));
    return () => {
      live = false;
    };
  }, [code, key, url]);
  const link = info?.link ?? `beseda://join/${code}`;
  return (
    <div className="invite-share">
      <span>
        {t('chats.invite')}: <code data-testid="chat-invite-code">{code}</code>
      </span>{' '}
      {addresses.length > 1 ? (
        <select
          data-testid="chat-invite-address"
          aria-label={t('chats.inviteAddress')}
          value={url}
          onChange={(e) => setChosen(e.target.value)}
        >
          {addresses.map((a) => (
            <option key={a.url} value={a.url}>
              {displayAddress(a.url)}
            </option>
          ))}
        </select>
      ) : null}{' '}
      <code className="invite-link" data-testid="chat-invite-link">
        {link}
      </code>{' '}
      <Button
        testId="chat-invite-copy"
        onClick={() =>
          void navigator.clipboard?.writeText(link).then(
            () => setCopied(true),
            () => setCopied(false),
          )
        }
      >
        {copied ? t('chats.copied') : t('chats.copy')}
      </Button>
      {info && !info.shareable ? (
        <p className="muted" data-testid="chat-invite-local-only">
          {t('chats.inviteLocalOnly')}
        </p>
      ) : info?.address ? (
        <p className="muted">{t('chats.inviteHintServer', { address: info.address })}</p>
      ) : null}
    </div>
  );
}
