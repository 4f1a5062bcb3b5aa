import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_DISPLAY_NAME_CHARS } from '../../../src-shared/protocol/limits';
import { call } from '../../lib/api';
import { errorText } from './error-text';
import { Button } from '../../ui/Button';

/** First start: the user picks a display name; main creates the key pair. */
export function Onboarding() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await call('identity.create', { displayName: name.trim() });
    } catch (err) {
      setError(errorText(err, t));
      setBusy(false);
    }
  };
  return (
    <form className="onboarding" onSubmit={(e) => void submit(e)}>
      <h2>{t('chats.onboardingTitle')}</h2>
      <p>{t('chats.onboardingText')}</p>
      <label className="block">
        {t('chats.displayName')}
        <input
          data-testid="onboarding-name-input"
          value={name}
          maxLength={MAX_DISPLAY_NAME_CHARS}
          autoFocus
          onChange={(e) => setName(e.target.value)}
        />
      </label>
      <Button type="submit" testId="onboarding-submit" disabled={busy || !name.trim()}>
        {t('chats.start')}
      </Button>
      {error ? <p role="alert">{error}</p> : null}
    </form>
  );
}
