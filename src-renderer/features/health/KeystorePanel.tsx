import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, useLive } from '../../lib/api';
import { Button } from '../../ui/Button';

/**
 * Where secrets are kept and how well: the OS keyring, or a passphrase where the OS does not
 * really protect (Linux basic_text, the browser host's key file). Also the way out of a locked
 * or lost keystore: the passphrase, or a reset (the user registers again).
 */
export function KeystorePanel() {
  const { t } = useTranslation();
  const { value: status } = useLive('keystore.status', 'keystore.changed');
  const [passphrase, setPassphrase] = useState('');
  const [note, setNote] = useState<{ text: string; error: boolean } | null>(null);
  if (!status) return null;
  const act = async (work: () => Promise<unknown>, done: string) => {
    try {
      await work();
      setPassphrase('');
      setNote({ text: done, error: false });
    } catch (e) {
      setNote({ text: (e as Error).message, error: true });
    }
  };
  const weak = !status.systemProtects && status.protection === 'system';
  return (
    <section data-testid="health-keystore" data-state={status.state}>
      <h2>{t('keystore.title')}</h2>
      <dl className="facts">
        <dt>{t('keystore.state')}</dt>
        <dd data-testid="keystore-state">{t(`keystore.states.${status.state}`)}</dd>
        <dt>{t('keystore.backend')}</dt>
        <dd>
          {t(`keystore.backends.${status.backend}`, { defaultValue: status.backend })}{' '}
          <code className="muted" data-testid="keystore-backend">
            {status.backend}
          </code>
        </dd>
        <dt>{t('keystore.protection')}</dt>
        <dd>{t(`keystore.protections.${status.protection}`)}</dd>
      </dl>
      {weak ? (
        <p role="alert" data-testid="keystore-weak">
          {t(status.backend === 'basic_text' ? 'keystore.basicText' : 'keystore.keyFile')}
        </p>
      ) : null}
      {status.problem && status.problem !== 'passphrase' ? (
        <p className="muted">{t('keystore.problem', { problem: status.problem })}</p>
      ) : null}
      {status.state === 'lost' ? (
        <p role="alert">{t('keystore.lost')}</p>
      ) : (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            void (status.state === 'locked'
              ? act(() => call('keystore.unlock', { passphrase }), t('keystore.unlocked'))
              : act(
                  () => call('keystore.setPassphrase', { passphrase }),
                  t('keystore.passphraseSet'),
                ));
          }}
        >
          <input
            type="password"
            autoComplete="new-password"
            data-testid="keystore-passphrase"
            aria-label={t('keystore.passphrase')}
            placeholder={t('keystore.passphrase')}
            value={passphrase}
            onChange={(e) => setPassphrase(e.target.value)}
          />
          <Button
            type="submit"
            testId="keystore-submit"
            disabled={passphrase.length < (status.state === 'locked' ? 1 : 8)}
          >
            {status.state === 'locked' ? t('keystore.unlock') : t('keystore.setPassphrase')}
          </Button>
        </form>
      )}
      {status.state !== 'open' ? (
        <Button
          testId="keystore-reset"
          onClick={() => {
            if (window.confirm(t('keystore.confirmReset')))
              void act(() => call('keystore.reset', { confirm: true }), t('keystore.wasReset'));
          }}
        >
          {t('keystore.reset')}
        </Button>
      ) : null}
      {note ? <p role={note.error ? 'alert' : 'status'}>{note.text}</p> : null}
    </section>
  );
}
