import { useTranslation } from 'react-i18next';
import { call, useLive } from '../../lib/api';
import { IdentityProblem } from './IdentityProblem';
import { Button } from '../../ui/Button';

export function ConnectionDetails() {
  const { t } = useTranslation();
  const { value, error } = useLive('connection.status', 'connection.changed');
  if (error) return <p role="alert">{error}</p>;
  if (!value) return <p className="muted">{t('app.loading')}</p>;
  const label =
    value.source === 'embedded'
      ? t('connection.embedded')
      : value.source === 'override'
        ? t('connection.override')
        : t('connection.remote');
  return (
    <dl className="facts" data-testid="chats-connection">
      <dt>{label}</dt>
      <dd>
        <code>{value.url ?? '—'}</code>
      </dd>
      <dt>{t(`connection.${value.state}`)}</dt>
      <dd>{value.rttMs !== null ? t('connection.rtt', { ms: value.rttMs }) : '—'}</dd>
      <dt>{t('connection.fingerprint')}</dt>
      <dd>
        <code data-testid="connection-fingerprint">{value.fingerprint ?? '—'}</code>
      </dd>
      {value.identityProblem ? (
        <>
          <dt>{t('connection.identityChanged')}</dt>
          <dd>
            <IdentityProblem problem={value.identityProblem} testId="connection" />
          </dd>
        </>
      ) : null}
      {value.lastError && value.state !== 'online' ? (
        <>
          <dt>{t('connection.lastError')}</dt>
          <dd>{value.lastError}</dd>
        </>
      ) : null}
      <dt />
      <dd>
        <Button
          onClick={() => void call('connection.reconnect')}
          disabled={value.state === 'online'}
        >
          {t('connection.reconnect')}
        </Button>
      </dd>
    </dl>
  );
}
