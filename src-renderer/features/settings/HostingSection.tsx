import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DiscoveredServer, HostingStatus } from '../../../src-shared/ipc/types';
import type { Settings } from '../../../src-shared/settings';
import { displayAddress } from '../../../src-shared/protocol/addresses';
import { call, useLive } from '../../lib/api';
import { errorText } from '../chats/error-text';
import { Button } from '../../ui/Button';
import { Switch } from '../../ui/Field';
import { Badge } from '../../ui/Badge';

/**
 * Settings > Server: "Let others join this computer" (the embedded server on the local network,
 * on a fixed port over TLS), the addresses colleagues can use and whether they answer, what to do
 * when a firewall blocks them, and the servers other apps announce on the network.
 */
export function HostingSection({ settings }: { settings: Settings }) {
  const { t } = useTranslation();
  const live = useLive('hosting.status', 'hosting.changed');
  const status = live.value;
  // What the user typed; until then, the port in use (chosen at the first start and kept).
  const [typed, setTyped] = useState<string | null>(null);
  const port = typed ?? settings.hosting.port?.toString() ?? '';
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // The switch moves at once; the saved setting (and its event) follows.
  const [pending, setPending] = useState<boolean | null>(null);
  const enabled = pending ?? settings.hosting.enabled;

  const act = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setBusy(false);
    }
  };
  const toggle = (next: boolean) => {
    setPending(next);
    void act(() => call('settings.update', { hosting: { enabled: next } })).finally(() =>
      setPending(null),
    );
  };
  const savePort = (event: FormEvent) => {
    event.preventDefault();
    const value = Number(port);
    void act(async () => {
      await call('settings.update', { hosting: { port: value } });
      setTyped(null);
    });
  };

  return (
    <fieldset className="hosting" data-testid="settings-hosting">
      <legend>{t('hosting.title')}</legend>
      <Switch
        label={t('hosting.letOthersJoin')}
        testId="settings-hosting-toggle"
        checked={enabled}
        disabled={busy}
        onChange={toggle}
      />
      <p className="muted">{t('hosting.explain')}</p>
      {status ? <HostingState status={status} /> : null}
      {settings.hosting.enabled ? (
        <form className="inline-form" onSubmit={savePort}>
          <label>
            {t('hosting.port')}{' '}
            <input
              data-testid="settings-hosting-port"
              inputMode="numeric"
              size={6}
              value={port}
              onChange={(e) => setTyped(e.target.value.replace(/\D/g, ''))}
            />
          </label>
          <Button
            type="submit"
            testId="settings-hosting-port-save"
            disabled={busy || !port || Number(port) === settings.hosting.port}
          >
            {t('settings.save')}
          </Button>
        </form>
      ) : null}
      {error ? (
        <p role="alert" data-testid="settings-hosting-error">
          {error}
        </p>
      ) : null}
      <Discovered servers={status?.discovered ?? []} />
    </fieldset>
  );
}

function HostingState({ status }: { status: HostingStatus }) {
  const { t } = useTranslation();
  if (status.state === 'failed')
    return (
      <p role="alert" data-testid="settings-hosting-problem">
        {t('hosting.failed', { problem: status.problem })}
      </p>
    );
  if (status.state === 'starting') return <p className="muted">{t('hosting.starting')}</p>;
  if (status.state !== 'on') return null;
  const blocked = status.addresses.some((a) => a.reachable === false);
  return (
    <div className="hosting-on" data-testid="settings-hosting-on">
      <p>
        {t('hosting.on', { port: status.port })}{' '}
        {status.announced ? (
          <Badge tone="good" testId="settings-hosting-announced">
            {t('hosting.announced')}
          </Badge>
        ) : null}
      </p>
      <p>
        {t('hosting.identity')}{' '}
        <code data-testid="settings-hosting-fingerprint">{status.fingerprint}</code>
      </p>
      <p>{t('hosting.addresses')}</p>
      <ul data-testid="settings-hosting-addresses">
        {status.addresses.map((address) => (
          <li
            key={address.url}
            data-testid="settings-hosting-address"
            data-reachable={String(address.reachable)}
          >
            <code>{displayAddress(address.url)}</code>{' '}
            <span className={address.reachable === false ? 'danger-text' : 'muted'}>
              {address.reachable === null
                ? t('hosting.checking')
                : address.reachable
                  ? t('hosting.reachable')
                  : t('hosting.unreachable', { problem: address.problem })}
            </span>
          </li>
        ))}
      </ul>
      {status.addresses.length === 0 ? <p className="muted">{t('hosting.noNetwork')}</p> : null}
      <p className={blocked ? '' : 'muted'} data-testid="settings-hosting-firewall">
        {t(`hosting.firewall.${status.firewall}`, { port: status.port })}
      </p>
      <p className="muted">
        {t('hosting.guests', { count: status.guests })}{' '}
        <Button testId="settings-hosting-check" onClick={() => void call('hosting.check')}>
          {t('hosting.checkAgain')}
        </Button>
      </p>
    </div>
  );
}

function Discovered({ servers }: { servers: DiscoveredServer[] }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [connecting, setConnecting] = useState<string | null>(null);
  const connect = async (server: DiscoveredServer) => {
    if (
      !window.confirm(
        t('hosting.connectConfirm', { name: server.name, fingerprint: server.fingerprint }),
      )
    )
      return;
    setConnecting(server.url);
    setError(null);
    try {
      await call('servers.connect', { url: server.url, fingerprint: server.fingerprint });
    } catch (err) {
      setError(errorText(err, t));
    } finally {
      setConnecting(null);
    }
  };
  return (
    <div className="discovered" data-testid="settings-discovered">
      <p>{t('hosting.discovered')}</p>
      {servers.length === 0 ? <p className="muted">{t('hosting.noneFound')}</p> : null}
      <ul>
        {servers.map((server) => (
          <li key={server.url} data-testid="settings-discovered-server" data-url={server.url}>
            <strong>{server.name}</strong> <code>{displayAddress(server.url)}</code>{' '}
            <code className="muted">{server.fingerprint}</code>{' '}
            <Button
              testId="settings-discovered-connect"
              disabled={connecting !== null}
              onClick={() => void connect(server)}
            >
              {connecting === server.url ? t('chats.inviteConnecting') : t('hosting.connect')}
            </Button>
          </li>
        ))}
      </ul>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
