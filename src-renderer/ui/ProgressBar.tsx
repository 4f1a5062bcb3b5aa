/**
 * Work on its way: a bar with its name (read out) and, when the total is known, the percentage.
 * Without a total the bar is indeterminate.
 */
export function ProgressBar({
  label,
  value,
  max = 1,
  showLabel = false,
  showPercent = true,
  testId,
  ...data
}: {
  label: string;
  value: number;
  /** The total; undefined when not known. */
  max?: number;
  /** Shows the label before the bar (otherwise it is only its accessible name). */
  showLabel?: boolean;
  showPercent?: boolean;
  testId?: string;
} & { [key: `data-${string}`]: string | undefined }) {
  const known = max !== undefined && max > 0;
  const percent = known ? Math.round((Math.min(value, max) / max) * 100) : undefined;
  return (
    <span className="ui-progress">
      {showLabel ? <span className="ui-progress-label">{label}</span> : null}
      <progress
        aria-label={label}
        data-testid={testId}
        max={known ? max : undefined}
        value={known ? value : undefined}
        {...data}
      />
      {showPercent && percent !== undefined ? (
        <span className="ui-progress-value" aria-hidden="true">
          {percent}%
        </span>
      ) : null}
    </span>
  );
}
