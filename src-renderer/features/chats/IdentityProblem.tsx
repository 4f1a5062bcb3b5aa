import { useTranslation } from 'react-i18next';
import type { ConnectionStatus } from '../../../src-shared/ipc/types';
import { call } from '../../lib/api';
import { Button } from '../../ui/Button';

/**
 * The server at a trusted address showed another identity: says so in words, with both
 * fingerprints, and lets the user trust the new one after confirming.
 */
export function IdentityProblem({
  problem,
  testId,
}: {
  problem: NonNullable<ConnectionStatus['identityProblem']>;
  /** data-testid prefix: `connection` (sidebar) or `settings`. */
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <span role="alert" data-testid={`${testId}-identity-problem`}>
      {t('connection.identityChangedText', {
        url: problem.url,
        expected: problem.expected,
        shown: problem.shown,
      })}{' '}
      <Button
        testId={`${testId}-accept-identity`}
        onClick={() => {
          if (window.confirm(t('connection.acceptIdentityConfirm')))
            void call('connection.acceptIdentity');
        }}
      >
        {t('connection.acceptIdentity')}
      </Button>
    </span>
  );
}
