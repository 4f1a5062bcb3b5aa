/** An experiment's results with its honest caveats, and its controls (start, stop, ship). */
import { useTranslation } from 'react-i18next';
import type { ExperimentResult } from '../../../src-shared/analytics/dashboard';
import type { ExperimentConfig } from '../../../src-shared/analytics/definitions';
import { Button } from '../../ui/Button';
import { Badge } from '../../ui/Badge';

const pct = (x: number, digits = 1) => `${(x * 100).toFixed(digits)}%`;

export function ExperimentCard(props: {
  config: ExperimentConfig;
  result: ExperimentResult | undefined;
  onChange(next: ExperimentConfig): void;
  onDelete(): void;
  /** Only a server administrator starts, stops, ships and deletes. */
  canManage: boolean;
}) {
  const { t } = useTranslation();
  const { config, result } = props;
  return (
    <article
      className="experiment"
      data-testid="analytics-experiment"
      data-key={config.key}
      data-status={config.status}
    >
      <header>
        <h3>
          {config.name} <span className="muted">({config.key})</span>
        </h3>
        <Badge tone={config.status === 'running' ? 'good' : 'neutral'}>
          {t(`analytics.status.${config.status}`)}
        </Badge>
        {props.canManage && (config.status === 'draft' || config.status === 'stopped') ? (
          <Button
            testId="experiment-start"
            onClick={() => props.onChange({ ...config, status: 'running' })}
          >
            {t('analytics.start')}
          </Button>
        ) : null}
        {props.canManage && config.status === 'running' ? (
          <Button
            testId="experiment-stop"
            onClick={() => props.onChange({ ...config, status: 'stopped' })}
          >
            {t('analytics.stop')}
          </Button>
        ) : null}
        {config.variants.map((v) =>
          props.canManage && config.status !== 'shipped' ? (
            <Button
              key={v.key}
              testId={`experiment-ship-${v.key}`}
              onClick={() => props.onChange({ ...config, status: 'shipped', shipped: v.key })}
            >
              {t('analytics.ship', { variant: v.key })}
            </Button>
          ) : null,
        )}
        {props.canManage ? (
          <Button variant="danger" onClick={props.onDelete}>
            {t('analytics.delete')}
          </Button>
        ) : null}
      </header>
      {config.status === 'shipped' ? (
        <p>{t('analytics.shipped', { variant: config.shipped })}</p>
      ) : null}
      {result?.srm.mismatch ? (
        <p role="alert" className="alarm" data-testid="experiment-srm">
          {t('analytics.srm', { p: result.srm.pValue.toExponential(1) })}
        </p>
      ) : null}
      {result?.underpowered ? (
        <p className="warning" data-testid="experiment-peeking">
          {t('analytics.peeking', { planned: result.plannedUsersPerVariant })}
        </p>
      ) : null}
      {result ? (
        <table>
          <thead>
            <tr>
              <th>{t('analytics.variant')}</th>
              <th>{t('analytics.users')}</th>
              <th>{t('analytics.conversions')}</th>
              <th>{t('analytics.rate')}</th>
              <th>{t('analytics.lift')}</th>
              <th>p</th>
              <th>{t('analytics.chanceToWin')}</th>
              <th>{t('analytics.expectedLoss')}</th>
            </tr>
          </thead>
          <tbody>
            {result.variants.map((v) => (
              <tr key={v.variant} data-testid="experiment-variant" data-variant={v.variant}>
                <td>{v.variant}</td>
                <td>{v.users}</td>
                <td>{v.conversions}</td>
                <td>{pct(v.rate, 2)}</td>
                <td>
                  {!v.frequentist ? (
                    '—'
                  ) : v.frequentist.lift === null ? (
                    <span data-testid="experiment-lift-undefined">
                      {t('analytics.liftUndefined')}
                    </span>
                  ) : v.frequentist.liftCi === null ? (
                    `${pct(v.frequentist.lift)} (${t('analytics.intervalUndefined')})`
                  ) : (
                    `${pct(v.frequentist.lift)} [${pct(v.frequentist.liftCi[0])}, ${pct(v.frequentist.liftCi[1])}]`
                  )}
                </td>
                <td>{v.frequentist ? v.frequentist.pValue.toFixed(4) : '—'}</td>
                <td>{v.bayesian ? pct(v.bayesian.chanceToWin) : '—'}</td>
                <td>{v.bayesian ? pct(v.bayesian.expectedLossVariant, 3) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('analytics.noResults')}</p>
      )}
    </article>
  );
}
