import { useEffect, useState, type FormEvent, type KeyboardEvent } from 'react';
import { SendHorizontal } from 'lucide-react';
import { useTranslation } from 'react-i18next';
import { MAX_BODY_CHARS } from '../../../src-shared/protocol/limits';
import { useVariant } from '../../lib/analytics';
import { call } from '../../lib/api';
import { errorText } from './error-text';
import { useUiIntents } from '../../lib/ui-intents';
import { Button } from '../../ui/Button';

/** The last dictated piece taken in (a remounted composer must not take it twice). */
let appliedDictation = 0;

/** Writes messages; works offline (they wait as pending). Enter sends, Shift+Enter adds a line. */
export function Composer({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const [body, setBody] = useState('');
  const [error, setError] = useState<string | null>(null);
  const over = body.length - MAX_BODY_CHARS;
  const empty = body.trim().length === 0;
  // Dictated text is typed in for the user to read and send.
  const dictation = useUiIntents().dictation;
  useEffect(() => {
    if (!dictation || dictation.seq <= appliedDictation) return;
    appliedDictation = dictation.seq;
    // An intent from outside React (a voice command) is applied once, by its sequence number.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setBody((current) => (current ? `${current} ${dictation.text}` : dictation.text));
  }, [dictation]);

  const send = async (e?: FormEvent) => {
    e?.preventDefault();
    if (empty || over > 0) return;
    setError(null);
    const text = body;
    setBody('');
    try {
      await call('messages.send', { roomId, body: text });
    } catch (err) {
      setBody(text);
      setError(errorText(err, t));
    }
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form className="composer" onSubmit={(e) => void send(e)}>
      <textarea
        data-testid="chat-composer-input"
        aria-label={t('chats.composer')}
        placeholder={t('chats.composer')}
        value={body}
        rows={1}
        aria-invalid={over > 0}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKey}
      />
      <Button
        variant="primary"
        type="submit"
        testId="chat-composer-send"
        disabled={empty || over > 0}
      >
        <SendHorizontal aria-hidden="true" />
        {t('chats.send')}
      </Button>
      {over > 0 ? (
        <p role="alert" data-testid="chat-composer-error">
          {t('chats.tooLong', { count: over, max: MAX_BODY_CHARS })}
        </p>
      ) : body.length > MAX_BODY_CHARS - 200 ? (
        <p className="muted">{t('chats.charsLeft', { count: -over })}</p>
      ) : null}
      {error ? <p role="alert">{error}</p> : null}
      <ComposerHint />
    </form>
  );
}

/**
 * Experiment `composer-hint` (a feature flag): the "hint" variant shows how to send and add a
 * line; the exposure is logged when the hint is actually on screen.
 */
function ComposerHint() {
  const { t } = useTranslation();
  const { variant, expose } = useVariant('composer-hint');
  useEffect(() => {
    if (variant === 'hint') expose();
  }, [variant, expose]);
  return variant === 'hint' ? (
    <p className="muted composer-hint" data-testid="composer-hint">
      {t('chats.composerHint')}
    </p>
  ) : null;
}
