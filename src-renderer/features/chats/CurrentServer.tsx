import { useTranslation } from 'react-i18next';
import { displayAddress } from '../../../src-shared/protocol/addresses';
import { call, useLive } from '../../lib/api';
import { IdentityProblem } from './IdentityProblem';
import { Button } from '../../ui/Button';

/**
 * Which server the app is on (this computer, or another by name and address) and, after an invite
 * moved it, the one click back to where it was.
 */
export function CurrentServer() {
  const { t } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed');
  const connection = useLive('connection.status', 'connection.changed');
  const s = settings.value;
  const c = connection.value;
  if (!s || !c) return null;
  const here = c.embedded
    ? t('connection.thisComputer')
    : c.serverName
      ? `${c.serverName} (${displayAddress(c.url ?? '')})`
      : displayAddress(c.url ?? '');
  const canGoBack = s.serverUrl !== null && s.previousServerUrl !== s.serverUrl;
  const back = s.previousServerUrl
    ? displayAddress(s.previousServerUrl)
    : t('connection.thisComputer');
  return (
    <div className="current-server" data-testid="current-server">
      <span>
        {t('connection.onServer')} <strong data-testid="current-server-name">{here}</strong>
      </span>
      {canGoBack ? (
        <Button
          variant="ghost"
          testId="server-switch-back"
          onClick={() =>
            void call('settings.update', {
              serverUrl: s.previousServerUrl,
              previousServerUrl: s.serverUrl,
            })
          }
        >
          {t('connection.backTo', { server: back })}
        </Button>
      ) : null}
      {/* Refused in words where it is always in sight, not only in the connection details. */}
      {c.identityProblem ? (
        <IdentityProblem problem={c.identityProblem} testId="current-server" />
      ) : null}
    </div>
  );
}
