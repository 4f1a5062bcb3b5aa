import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Incident } from '../../../src-shared/ipc/operations-types';
import { call, useLive } from '../../lib/api';
import { downloadText } from '../../lib/download';
import { Button } from '../../ui/Button';

function IncidentItem({ incident }: { incident: Incident }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const act = (channel: 'incidents.acknowledge' | 'incidents.resolve') =>
    call(channel, { id: incident.id, note }).then(
      () => setNote(''),
      (e: Error) => setError(e.message),
    );
  return (
    <li
      className={`incident incident-${incident.severity}`}
      data-testid="incident"
      data-key={incident.key}
      data-state={incident.state}
      data-severity={incident.severity}
    >
      <details open={incident.state !== 'resolved'}>
        <summary>
          <strong>{t(`incidents.severity.${incident.severity}`)}</strong> · {incident.title} ·{' '}
          <span className="muted">{t(`incidents.state.${incident.state}`)}</span>
        </summary>
        <ol className="timeline">
          {incident.events.map((event, i) => (
            <li key={i}>
              <time dateTime={new Date(event.at).toISOString()}>
                {new Date(event.at).toLocaleString()}
              </time>{' '}
              <em>{t(`incidents.event.${event.kind}`)}</em> {event.text}
            </li>
          ))}
        </ol>
        {incident.state !== 'resolved' ? (
          <div className="row">
            <input
              data-testid="incident-note"
              aria-label={t('incidents.note')}
              placeholder={t('incidents.note')}
              value={note}
              maxLength={2000}
              onChange={(e) => setNote(e.target.value)}
            />
            {incident.state === 'open' ? (
              <Button testId="incident-ack" onClick={() => void act('incidents.acknowledge')}>
                {t('incidents.acknowledge')}
              </Button>
            ) : null}
            <Button testId="incident-resolve" onClick={() => void act('incidents.resolve')}>
              {t('incidents.resolve')}
            </Button>
          </div>
        ) : incident.note ? (
          <p className="muted">{incident.note}</p>
        ) : null}
        {error ? <p role="alert">{error}</p> : null}
      </details>
    </li>
  );
}

/** Incidents with their timelines; acknowledge, resolve with a note, export a report. */
export function IncidentsPanel() {
  const { t } = useTranslation();
  const { value: incidents } = useLive('incidents.list', 'incidents.changed');
  const exportAs = async (format: 'markdown' | 'json') => {
    const text = await call('incidents.export', { format });
    downloadText(
      `beseda-incidents.${format === 'json' ? 'json' : 'md'}`,
      text,
      format === 'json' ? 'application/json' : 'text/markdown',
    );
  };
  return (
    <section data-testid="health-incidents">
      <h2>{t('incidents.title')}</h2>
      <div className="row">
        <Button testId="incidents-export-md" onClick={() => void exportAs('markdown')}>
          {t('incidents.exportMarkdown')}
        </Button>
        <Button testId="incidents-export-json" onClick={() => void exportAs('json')}>
          {t('incidents.exportJson')}
        </Button>
      </div>
      {incidents && incidents.length === 0 ? <p className="muted">{t('incidents.none')}</p> : null}
      <ul className="incidents">
        {incidents?.map((incident) => (
          <IncidentItem key={incident.id} incident={incident} />
        ))}
      </ul>
    </section>
  );
}
