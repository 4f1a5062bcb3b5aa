import { Skeleton } from '../../ui/Skeleton';
import { useTranslation } from 'react-i18next';
import { processKind } from './readings';
import { useLive, usePolled } from '../../lib/api';
import { formatBytes, formatDuration } from '../../lib/format';
import { HealthCharts, HealthRules } from './HealthCharts';
import { IncidentsPanel } from './IncidentsPanel';
import { KeystorePanel } from './KeystorePanel';

/** Chromium's non-standard heap figure for this window, where it exists. */
function windowHeapBytes(): number | null {
  const memory = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory;
  return memory ? memory.usedJSHeapSize : null;
}

export default function HealthScreen() {
  const { t } = useTranslation();
  const { value: health, error } = usePolled('health.snapshot', 2000);
  const { value: connection } = useLive('connection.status', 'connection.changed');
  const { value: report } = usePolled('health.report', 5000);
  const heap = windowHeapBytes();
  return (
    <section data-testid="screen-health" className="health">
      <h1>{t('health.title')}</h1>
      {error ? <p role="alert">{error}</p> : null}
      {/* What needs attention first: incidents and the rules, as cards side by side. */}
      <div className="health-panels">
        <IncidentsPanel />
        {report ? <HealthRules report={report} /> : null}
      </div>
      {report ? <HealthCharts report={report} /> : null}
      {/* The facts as cards that flow into columns on a wide window. */}
      <div className="health-panels">
        <KeystorePanel />
        {health ? (
          <>
            <section aria-labelledby="health-database-title">
              <h2 id="health-database-title">{t('health.database')}</h2>
              <dl className="facts">
                <dt>{t('health.dbFile')}</dt>
                <dd data-testid="health-db-size" data-bytes={health.database.fileBytes}>
                  {formatBytes(health.database.fileBytes, t)}{' '}
                  <code className="muted">{health.database.path}</code>
                </dd>
                <dt>{t('health.wal')}</dt>
                <dd data-testid="health-wal-size">{formatBytes(health.database.walBytes, t)}</dd>
                <dt>{t('health.schema')}</dt>
                <dd>{health.database.schemaVersion}</dd>
                <dt>{t('health.freeDisk')}</dt>
                <dd>
                  {health.freeDiskBytes === null
                    ? t('health.notMeasured')
                    : formatBytes(health.freeDiskBytes, t)}
                </dd>
              </dl>
            </section>
            <section aria-labelledby="health-processes-title">
              <h2 id="health-processes-title">{t('health.processes')}</h2>
              <table className="table" data-testid="health-processes">
                <thead>
                  <tr>
                    <th>{t('health.process')}</th>
                    <th>{t('health.pid')}</th>
                    <th>{t('health.memory')}</th>
                    <th>{t('health.cpu')}</th>
                  </tr>
                </thead>
                <tbody>
                  {health.processes.map((p) => (
                    <tr
                      key={p.pid}
                      data-testid="health-process"
                      data-kind={p.kind}
                      data-bytes={p.memoryBytes}
                    >
                      <td>{processKind(p.kind, t)}</td>
                      <td>{p.pid}</td>
                      <td>{formatBytes(p.memoryBytes, t)}</td>
                      <td>{p.cpuPercent === null ? '—' : `${p.cpuPercent}%`}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <dl className="facts">
                <dt>{t('health.heap')}</dt>
                <dd>{formatBytes(health.heapUsedBytes, t)}</dd>
                <dt>{t('health.windowHeap')}</dt>
                <dd>{heap === null ? t('health.notMeasured') : formatBytes(heap, t)}</dd>
                <dt>{t('health.loopLag')}</dt>
                <dd>{health.eventLoopLagMs} ms</dd>
                <dt>{t('health.uptime')}</dt>
                <dd>{formatDuration(health.uptimeSec)}</dd>
                <dt>{t('health.connection')}</dt>
                <dd data-testid="health-connection">
                  {connection
                    ? `${t(`connection.${connection.state}`)}${connection.rttMs !== null ? ` · ${t('connection.rtt', { ms: connection.rttMs })}` : ''}`
                    : '—'}
                </dd>
              </dl>
            </section>
          </>
        ) : (
          <Skeleton lines={6} />
        )}
      </div>
    </section>
  );
}
