import { Fragment, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useUiIntents } from '../../lib/ui-intents';
import type { SearchHit } from '../../../src-shared/ipc/chat-types';
import { HIGHLIGHT_END, HIGHLIGHT_START } from '../../../src-shared/ipc/search-marks';
import { call } from '../../lib/api';
import { errorText } from './error-text';
import { Button } from '../../ui/Button';

/** Splits a snippet marked with HIGHLIGHT_START/END into text and <mark> parts. */
export function Highlighted({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START);
  return (
    <>
      {parts.map((part, i) => {
        if (i === 0) return <Fragment key={i}>{part}</Fragment>;
        const [hit, rest] = part.split(HIGHLIGHT_END) as [string, string | undefined];
        return (
          <Fragment key={i}>
            <mark>{hit}</mark>
            {rest}
          </Fragment>
        );
      })}
    </>
  );
}

/** The last spoken search taken in (a remounted panel must not run it again). */
let appliedSearch = 0;

export function SearchPanel({ onOpen }: { onOpen(hit: SearchHit): void }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A search asked for by voice fills the same field.
  const spoken = useUiIntents().search;
  useEffect(() => {
    if (!spoken || spoken.seq <= appliedSearch) return;
    appliedSearch = spoken.seq;
    // An intent from outside React (a voice command) is applied once, by its sequence number.
    // eslint-disable-next-line react-hooks/set-state-in-effect
    setQuery(spoken.query);
  }, [spoken]);

  useEffect(() => {
    if (!query.trim()) return;
    let active = true;
    const timer = setTimeout(() => {
      call('messages.search', { query, limit: 50 }).then(
        (found) => active && (setHits(found), setError(null)),
        (err: unknown) => active && setError(errorText(err, t)),
      );
    }, 150);
    return () => {
      active = false;
      clearTimeout(timer);
    };
  }, [query, t]);

  const shown = query.trim() ? hits : null;
  return (
    <div className="search">
      <input
        type="search"
        data-testid="chat-search-input"
        aria-label={t('chats.search')}
        placeholder={t('chats.search')}
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && setQuery('')}
      />
      {error ? <p role="alert">{error}</p> : null}
      {shown && shown.length === 0 ? (
        <p className="muted" data-testid="chat-search-empty">
          {t('chats.searchEmpty')}
        </p>
      ) : null}
      {shown && shown.length > 0 ? (
        <ul className="search-results">
          {shown.map((hit) => (
            <li key={hit.message.clientId}>
              <Button testId="chat-search-result" onClick={() => onOpen(hit)}>
                <span className="muted">
                  {hit.roomName} · {hit.message.senderName}
                </span>
                <span>
                  <Highlighted text={hit.snippet} />
                </span>
              </Button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
