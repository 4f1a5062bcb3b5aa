import { useTranslation } from 'react-i18next';
import { readingText } from './readings';
import { clockTime } from '../../lib/format';
import type { HealthReport, HealthSample } from '../../../src-shared/ipc/operations-types';
import { ChartCard, type Series } from '../analytics/ChartCard';

const MB = 1024 * 1024;
const mb = (bytes: number | null) => (bytes === null ? null : Math.round((bytes / MB) * 10) / 10);

/** The last half hour of samples as small line charts. */
export function HealthCharts({ report }: { report: HealthReport }) {
  const { t, i18n } = useTranslation();
  const samples = report.samples;
  const labels = samples.map((s) => clockTime(s.at, i18n.language));
  const series = (label: string, pick: (s: HealthSample) => number | null): Series => ({
    label,
    values: samples.map(pick),
  });
  const charts: Array<{ id: string; title: string; series: Series[] }> = [
    {
      id: 'health-memory',
      title: t('health.chart.memory'),
      series: [
        series(t('health.chart.main'), (s) => mb(s.mainMemoryBytes)),
        series(t('health.chart.renderer'), (s) => mb(s.rendererMemoryBytes)),
      ],
    },
    {
      id: 'health-cpu',
      title: t('health.chart.cpu'),
      series: [
        series(t('health.chart.main'), (s) => s.mainCpuPercent),
        series(t('health.chart.renderer'), (s) => s.rendererCpuPercent),
      ],
    },
    {
      id: 'health-lag',
      title: t('health.chart.lag'),
      series: [series(t('health.loopLag'), (s) => s.eventLoopLagMs)],
    },
    {
      id: 'health-db',
      title: t('health.chart.database'),
      series: [
        series(t('health.dbFile'), (s) => mb(s.databaseBytes)),
        series(t('health.wal'), (s) => mb(s.walBytes)),
      ],
    },
    {
      id: 'health-rtt',
      title: t('health.chart.rtt'),
      series: [series(t('health.connection'), (s) => s.serverRttMs)],
    },
    {
      id: 'health-disk',
      title: t('health.chart.disk'),
      series: [series(t('health.freeDisk'), (s) => mb(s.freeDiskBytes))],
    },
  ];
  return (
    <div className="chart-grid small" data-testid="health-charts" data-samples={samples.length}>
      {charts.map((chart) => (
        <ChartCard
          key={chart.id}
          id={chart.id}
          title={chart.title}
          kind="line"
          labels={labels}
          series={chart.series}
        />
      ))}
    </div>
  );
}

/** The rules judged on the samples: each with its reading, its limit and its state. */
export function HealthRules({ report }: { report: HealthReport }) {
  const { t, i18n } = useTranslation();
  return (
    <section aria-labelledby="health-rules-title">
      <h2 id="health-rules-title">{t('health.rules')}</h2>
      <table className="table" data-testid="health-rules">
        <thead>
          <tr>
            <th>{t('health.rule')}</th>
            <th>{t('health.value')}</th>
            <th>{t('health.threshold')}</th>
            <th>{t('health.ruleState')}</th>
          </tr>
        </thead>
        <tbody>
          {report.rules.map((rule) => (
            <tr
              key={rule.key}
              data-testid="health-rule"
              data-key={rule.key}
              data-state={rule.state}
            >
              <td>{t(`health.ruleNames.${rule.key}`)}</td>
              <td>{readingText(rule.reading, rule.value, i18n.language, t)}</td>
              <td>{readingText(rule.limit, rule.threshold, i18n.language, t)}</td>
              <td className={`rule-${rule.state}`}>{t(`health.ruleStates.${rule.state}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
