/**
 * Forms that define goals, funnels and experiments (saved on the server for the whole team).
 * Steps are written as event types, a screen after a colon: `app.opened, screen.viewed:calls`.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ANALYTICS_EVENT_TYPES } from '../../../src-shared/analytics/events';
import {
  AnalyticsDefinition,
  type GoalDefinition,
} from '../../../src-shared/analytics/definitions';
import { sampleSizePerArm } from '../../../src-shared/analytics/stats';
import { Button } from '../../ui/Button';

function parseSteps(text: string) {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [type, screen] = s.split(':').map((x) => x.trim());
      return screen ? { type, screen } : { type };
    });
}

export function DefinitionForms(props: {
  goals: GoalDefinition[];
  onSave(definition: AnalyticsDefinition): Promise<void>;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'goal' | 'funnel' | 'experiment'>('goal');
  const [key, setKey] = useState('');
  const [name, setName] = useState('');
  const [steps, setSteps] = useState('');
  const [windowHours, setWindowHours] = useState('24');
  const [variants, setVariants] = useState('control:0.5, treatment:0.5');
  const [coverage, setCoverage] = useState('1');
  const [goal, setGoal] = useState('');
  const [targeting, setTargeting] = useState<Record<'platform' | 'language' | 'host', string[]>>({
    platform: [],
    language: [],
    host: [],
  });
  const toggleTarget = (attribute: keyof typeof targeting, value: string, on: boolean) =>
    setTargeting((current) => ({
      ...current,
      [attribute]: on
        ? [...current[attribute], value]
        : current[attribute].filter((v) => v !== value),
    }));
  const [baseline, setBaseline] = useState('5');
  const [target, setTarget] = useState('5.5');
  const [error, setError] = useState<string | null>(null);
  const base = Number(baseline) / 100;
  const goalRate = Number(target) / 100;
  const planned =
    base > 0 && base < 1 && goalRate > 0 && goalRate < 1 && base !== goalRate
      ? sampleSizePerArm(base, goalRate)
      : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsedSteps = parseSteps(steps);
    const candidate =
      kind === 'goal'
        ? { kind, key, name, step: parsedSteps[0] }
        : kind === 'funnel'
          ? {
              kind,
              key,
              name,
              steps: parsedSteps,
              windowMs: Math.round(Number(windowHours) * 3_600_000),
            }
          : {
              kind,
              key,
              name,
              variants: variants.split(',').map((v) => {
                const [vk, weight] = v.split(':').map((x) => x.trim());
                return { key: vk, weight: Number(weight) };
              }),
              coverage: Number(coverage),
              // An attribute with nothing ticked does not restrict.
              targeting: Object.fromEntries(
                Object.entries(targeting).filter(([, values]) => values.length > 0),
              ),
              goal,
              plannedUsersPerVariant: planned ?? 0,
              status: 'draft',
              shipped: null,
              // Experiments made here hash like GrowthBook's current SDKs (version 2).
              hashVersion: 2,
            };
    const parsed = AnalyticsDefinition.safeParse(candidate);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      setError(`${issue?.path.join('.') || kind}: ${issue?.message ?? ''}`);
      return;
    }
    try {
      await props.onSave(parsed.data);
      setError(null);
      setKey('');
      setName('');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  return (
    <form className="definition-form" onSubmit={submit} data-testid="analytics-define">
      <label>
        {t('analytics.define.kind')}
        <select
          value={kind}
          onChange={(e) => setKind(e.target.value as typeof kind)}
          data-testid="define-kind"
        >
          <option value="goal">{t('analytics.goal')}</option>
          <option value="funnel">{t('analytics.funnel')}</option>
          <option value="experiment">{t('analytics.experiment')}</option>
        </select>
      </label>
      <label>
        {t('analytics.define.key')}
        <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="define-key" />
      </label>
      <label>
        {t('analytics.define.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} data-testid="define-name" />
      </label>
      {kind !== 'experiment' ? (
        <label>
          {kind === 'goal' ? t('analytics.define.event') : t('analytics.define.steps')}
          <input
            value={steps}
            onChange={(e) => setSteps(e.target.value)}
            data-testid="define-steps"
            list="analytics-event-types"
            placeholder="app.opened, screen.viewed:calls, call.joined"
            translate="no"
          />
          <datalist id="analytics-event-types">
            {ANALYTICS_EVENT_TYPES.map((type) => (
              <option key={type} value={type} />
            ))}
          </datalist>
        </label>
      ) : null}
      {kind === 'funnel' ? (
        <label>
          {t('analytics.define.window')}
          <input
            type="number"
            min="1"
            value={windowHours}
            onChange={(e) => setWindowHours(e.target.value)}
          />
        </label>
      ) : null}
      {kind === 'experiment' ? (
        <>
          <label>
            {t('analytics.define.variants')}
            <input
              value={variants}
              onChange={(e) => setVariants(e.target.value)}
              data-testid="define-variants"
            />
          </label>
          <label>
            {t('analytics.define.coverage')}
            <input
              type="number"
              min="0"
              max="1"
              step="0.05"
              value={coverage}
              onChange={(e) => setCoverage(e.target.value)}
            />
          </label>
          <label>
            {t('analytics.goal')}
            <select
              value={goal}
              onChange={(e) => setGoal(e.target.value)}
              data-testid="define-goal"
            >
              <option value="">—</option>
              {props.goals.map((g) => (
                <option key={g.key} value={g.key}>
                  {g.name}
                </option>
              ))}
            </select>
          </label>
          <fieldset data-testid="define-targeting">
            <legend>{t('analytics.define.targeting')}</legend>
            {(
              [
                ['platform', ['linux', 'darwin', 'win32']],
                ['language', ['en', 'ru']],
                ['host', ['electron', 'web']],
              ] as const
            ).map(([attribute, values]) => (
              <div key={attribute} className="row">
                <span>{t(`analytics.define.${attribute}`)}:</span>
                {values.map((value) => (
                  <label key={value}>
                    <input
                      type="checkbox"
                      data-testid={`define-target-${attribute}-${value}`}
                      checked={targeting[attribute].includes(value)}
                      onChange={(e) => toggleTarget(attribute, value, e.target.checked)}
                    />
                    {value}
                  </label>
                ))}
              </div>
            ))}
          </fieldset>
          <fieldset>
            <legend>{t('analytics.define.sampleSize')}</legend>
            <label>
              {t('analytics.define.baseline')}
              <input
                type="number"
                step="0.1"
                value={baseline}
                onChange={(e) => setBaseline(e.target.value)}
                data-testid="define-baseline"
              />
            </label>
            <label>
              {t('analytics.define.target')}
              <input
                type="number"
                step="0.1"
                value={target}
                onChange={(e) => setTarget(e.target.value)}
                data-testid="define-target"
              />
            </label>
            <output data-testid="define-sample-size">
              {planned ? t('analytics.define.perVariant', { count: planned }) : '—'}
            </output>
          </fieldset>
        </>
      ) : null}
      <Button type="submit" testId="define-save">
        {t('analytics.define.save')}
      </Button>
      {error ? (
        <p role="alert" data-testid="define-error">
          {error}
        </p>
      ) : null}
    </form>
  );
}
