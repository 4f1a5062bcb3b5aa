/**
 * The analytics dashboard: usage per day, call quality, voice commands, journeys, funnels, goals
 * and experiments over a date range; from the server across users when connected, from this
 * computer's own events (and said so) when not. Definitions are edited here too.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DashboardData } from '../../../src-shared/analytics/dashboard';
import type {
  AnalyticsDefinition,
  ExperimentConfig,
  GoalDefinition,
} from '../../../src-shared/analytics/definitions';
import { call, useLive } from '../../lib/api';
import { ChartCard } from './ChartCard';
import { DefinitionForms } from './DefinitionForms';
import { ExperimentCard } from './ExperimentCard';
import { Button } from '../../ui/Button';

const DAY = 86_400_000;
const dateInput = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The last `days` days, today included, as date-input values. */
function lastDays(days: number): { from: string; to: string } {
  const now = Date.now();
  return { from: dateInput(now - (days - 1) * DAY), to: dateInput(now) };
}

export default function AnalyticsScreen() {
  const { t } = useTranslation();
  const settings = useLive('settings.get', 'settings.changed').value;
  const [to, setTo] = useState(() => lastDays(30).to);
  const [from, setFrom] = useState(() => lastDays(30).from);
  const [dashboard, setDashboard] = useState<{
    source: string;
    data: DashboardData;
    canManage: boolean;
    localReason: 'offline' | 'not_admin' | null;
  } | null>(null);
  const [definitions, setDefinitions] = useState<AnalyticsDefinition[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const key = `${from}|${to}|${version}`;
  const reload = () => setVersion((v) => v + 1);

  useEffect(() => {
    let active = true;
    const range = { from: Date.parse(from), to: Date.parse(to) + DAY };
    Promise.all([
      call('analytics.dashboard', { range }),
      call('analytics.definitions', undefined),
    ]).then(
      ([reply, defs]) => {
        if (!active) return;
        setDashboard({ ...reply, data: reply.data as unknown as DashboardData });
        setDefinitions(defs);
        setError(null);
        setLoadedKey(key);
      },
      (err: Error) => {
        if (!active) return;
        setError(err.message);
        setLoadedKey(key);
      },
    );
    return () => {
      active = false;
    };
  }, [from, to, key]);

  const save = async (definition: AnalyticsDefinition) => {
    setDefinitions(await call('analytics.define', { definition }));
    reload();
  };
  const remove = async (key: string) => {
    try {
      setDefinitions(await call('analytics.undefine', { key }));
      reload();
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const preset = (days: number) => {
    const range = lastDays(days);
    setFrom(range.from);
    setTo(range.to);
  };

  const data = dashboard?.data;
  const goals = definitions.filter((d): d is GoalDefinition => d.kind === 'goal');
  const experiments = definitions.filter((d): d is ExperimentConfig => d.kind === 'experiment');

  return (
    <section data-testid="screen-analytics" className="analytics" aria-busy={loadedKey !== key}>
      <h1>{t('analytics.title')}</h1>
      {settings && settings.analyticsConsent !== 'granted' ? (
        <p className="muted" data-testid="analytics-off">
          {t('analytics.off')}
        </p>
      ) : null}
      <div className="range" role="group" aria-label={t('analytics.range')}>
        <label>
          {t('analytics.from')}
          <input
            type="date"
            value={from}
            onChange={(e) => setFrom(e.target.value)}
            data-testid="analytics-from"
          />
        </label>
        <label>
          {t('analytics.to')}
          <input
            type="date"
            value={to}
            onChange={(e) => setTo(e.target.value)}
            data-testid="analytics-to"
          />
        </label>
        {[7, 30, 90].map((days) => (
          <Button key={days} onClick={() => preset(days)}>
            {t('analytics.lastDays', { count: days })}
          </Button>
        ))}
        <Button onClick={reload} testId="analytics-refresh">
          {t('analytics.refresh')}
        </Button>
        {dashboard ? (
          <span
            className={`badge ${dashboard.source}`}
            data-testid="analytics-source"
            data-source={dashboard.source}
          >
            {dashboard.source === 'server' ? t('analytics.fromServer') : t('analytics.localOnly')}
          </span>
        ) : null}
      </div>
      {dashboard?.localReason === 'not_admin' ? (
        <p className="muted" data-testid="analytics-not-admin">
          {t('analytics.notAdmin')}
        </p>
      ) : null}
      {error ? (
        <p role="alert" data-testid="analytics-error">
          {error}
        </p>
      ) : null}
      {data ? (
        <>
          <p className="muted" data-testid="analytics-total" data-total={data.totalEvents}>
            {t('analytics.total', { count: data.totalEvents })}
          </p>
          <div className="charts">
            <ChartCard
              id="activity"
              title={t('analytics.activity')}
              kind="line"
              labels={data.daily.map((d) => d.day)}
              series={[
                { label: t('analytics.activeUsers'), values: data.daily.map((d) => d.activeUsers) },
                { label: t('analytics.messages'), values: data.daily.map((d) => d.messages) },
                { label: t('analytics.calls'), values: data.daily.map((d) => d.calls) },
                {
                  label: t('analytics.voiceCommands'),
                  values: data.daily.map((d) => d.voiceCommands),
                },
              ]}
            />
            <ChartCard
              id="quality"
              title={t('analytics.quality')}
              kind="line"
              labels={data.quality.map((d) => d.day)}
              series={[
                { label: 'RTT, ms', values: data.quality.map((d) => d.rttMs) },
                { label: t('analytics.jitter'), values: data.quality.map((d) => d.jitterMs) },
                { label: t('analytics.loss'), values: data.quality.map((d) => d.lossPct) },
                { label: 'MOS', values: data.quality.map((d) => d.mos) },
              ]}
            />
            <ChartCard
              id="voice"
              title={t('analytics.voiceCommands')}
              kind="bar"
              labels={data.voiceCommands.map((v) => v.command)}
              series={[
                { label: t('analytics.uses'), values: data.voiceCommands.map((v) => v.uses) },
              ]}
            />
            {data.funnels.map((f) => (
              <ChartCard
                key={f.key}
                id={`funnel-${f.key}`}
                title={`${t('analytics.funnel')}: ${f.name}`}
                kind="bar"
                labels={f.steps.map((s) =>
                  s.step.screen ? `${s.step.type}:${s.step.screen}` : s.step.type,
                )}
                series={[
                  { label: t('analytics.users'), values: f.steps.map((s) => s.users) },
                  { label: t('analytics.dropOff'), values: f.steps.map((s) => s.dropOff) },
                ]}
              />
            ))}
          </div>
          <h2>{t('analytics.journeys')}</h2>
          {data.journeys.length === 0 ? (
            <p className="muted" data-testid="analytics-journeys-empty">
              {t('analytics.noJourneys')}
            </p>
          ) : null}
          <ol className="journeys" data-testid="analytics-journeys">
            {data.journeys.map((j) => (
              <li key={j.path.join('>')}>
                {j.path.map((s) => t(`nav.${s}`)).join(' → ')}{' '}
                <span className="muted">({j.users})</span>
              </li>
            ))}
          </ol>
          <h2>{t('analytics.goals')}</h2>
          {data.goals.length === 0 ? (
            <p className="muted" data-testid="analytics-goals-empty">
              {t(dashboard?.canManage ? 'analytics.noGoalsManage' : 'analytics.noGoals')}
            </p>
          ) : null}
          <table data-testid="analytics-goals" hidden={data.goals.length === 0}>
            <tbody>
              {data.goals.map((g) => (
                <tr key={g.key} data-testid="analytics-goal" data-key={g.key}>
                  <td>{g.name}</td>
                  <td>
                    {g.converted} / {g.users}
                  </td>
                  <td>{(g.rate * 100).toFixed(1)}%</td>
                  <td>
                    {dashboard?.canManage ? (
                      <Button variant="danger" onClick={() => void remove(g.key)}>
                        {t('analytics.delete')}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h2>{t('analytics.experiments')}</h2>
          {experiments.length === 0 ? (
            <p className="muted" data-testid="analytics-experiments-empty">
              {t(
                dashboard?.canManage ? 'analytics.noExperimentsManage' : 'analytics.noExperiments',
              )}
            </p>
          ) : null}
          {experiments.map((e) => (
            <ExperimentCard
              key={e.key}
              config={e}
              result={data.experiments.find((r) => r.key === e.key)}
              onChange={(next) => void save(next).catch((err: Error) => setError(err.message))}
              onDelete={() => void remove(e.key)}
              canManage={dashboard?.canManage ?? false}
            />
          ))}
        </>
      ) : null}
      {dashboard?.canManage ? (
        <>
          <h2>{t('analytics.define.title')}</h2>
          <DefinitionForms goals={goals} onSave={save} />
        </>
      ) : null}
    </section>
  );
}
