import {
  forwardRef,
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';

/**
 * Labelled form fields: TextField, TextArea, Select, Switch and Slider. Each is the native
 * control (so keyboards, screen readers, autofill and tests treat it as what it is) drawn by
 * ui/controls.css, with its label, an optional hint and an optional error tied to it by
 * aria-describedby, so no screen builds that wiring by hand.
 */

type FieldFrame = {
  label: ReactNode;
  /** A line under the control that says what to enter. */
  hint?: ReactNode;
  /** What is wrong with what was entered, in words; marks the control invalid. */
  error?: ReactNode;
  /** Shown beside the control (a unit, a button) rather than under it. */
  after?: ReactNode;
  testId?: string;
  /** Hides the label visually; it stays the control's accessible name. */
  hideLabel?: boolean;
};

function useDescription(hint: ReactNode, error: ReactNode) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const notes = (
    <>
      {hint ? (
        <span id={hintId} className="ui-field-hint">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="ui-field-error" role="alert">
          {error}
        </span>
      ) : null}
    </>
  );
  return { describedBy, notes };
}

function Frame({
  label,
  hideLabel,
  after,
  notes,
  className,
  children,
}: {
  label: ReactNode;
  hideLabel?: boolean;
  after?: ReactNode;
  notes: ReactNode;
  className?: string;
  children: ReactNode;
}) {
  return (
    <label className={['ui-field', className].filter(Boolean).join(' ')}>
      <span className={hideLabel ? 'ui-visually-hidden' : 'ui-field-label'}>{label}</span>
      {after ? (
        <span className="ui-field-row">
          {children}
          {after}
        </span>
      ) : (
        children
      )}
      {notes}
    </label>
  );
}

type TextFieldProps = FieldFrame &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & {
    type?: 'text' | 'url' | 'email' | 'search' | 'number' | 'password';
  };

export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hint, error, after, testId, hideLabel, className, type = 'text', ...input },
  ref,
) {
  const { describedBy, notes } = useDescription(hint, error);
  return (
    <Frame label={label} hideLabel={hideLabel} after={after} notes={notes} className={className}>
      <input
        ref={ref}
        type={type}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
    </Frame>
  );
});

type TextAreaProps = FieldFrame & TextareaHTMLAttributes<HTMLTextAreaElement>;

export const TextArea = forwardRef<HTMLTextAreaElement, TextAreaProps>(function TextArea(
  { label, hint, error, after, testId, hideLabel, className, ...area },
  ref,
) {
  const { describedBy, notes } = useDescription(hint, error);
  return (
    <Frame label={label} hideLabel={hideLabel} after={after} notes={notes} className={className}>
      <textarea
        ref={ref}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...area}
      />
    </Frame>
  );
});

type SelectProps = FieldFrame &
  SelectHTMLAttributes<HTMLSelectElement> & {
    options: ReadonlyArray<{ value: string; label: string; disabled?: boolean }>;
  };

/** A choice of a few options. Native, so that the OS draws its list and the keyboard works as everywhere. */
export const Select = forwardRef<HTMLSelectElement, SelectProps>(function Select(
  { label, hint, error, after, testId, hideLabel, className, options, ...select },
  ref,
) {
  const { describedBy, notes } = useDescription(hint, error);
  return (
    <Frame label={label} hideLabel={hideLabel} after={after} notes={notes} className={className}>
      <select
        ref={ref}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy}
        {...select}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value} disabled={option.disabled}>
            {option.label}
          </option>
        ))}
      </select>
    </Frame>
  );
});

type SwitchProps = Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'onChange'> & {
  label: ReactNode;
  hint?: ReactNode;
  testId?: string;
  onChange: (checked: boolean) => void;
};

/** An on/off setting that applies at once: a checkbox with the switch role, drawn as a track and knob. */
export const Switch = forwardRef<HTMLInputElement, SwitchProps>(function Switch(
  { label, hint, testId, className, onChange, ...input },
  ref,
) {
  const { describedBy, notes } = useDescription(hint, undefined);
  return (
    <label className={['ui-switch', className].filter(Boolean).join(' ')}>
      <input
        ref={ref}
        type="checkbox"
        role="switch"
        data-testid={testId}
        aria-describedby={describedBy}
        onChange={(event) => onChange(event.target.checked)}
        {...input}
      />
      <span className="ui-switch-text">
        <span>{label}</span>
        {notes}
      </span>
    </label>
  );
});

type SliderProps = FieldFrame &
  Omit<InputHTMLAttributes<HTMLInputElement>, 'type' | 'value'> & {
    value: number;
    /** The value in words (a percentage, a level) shown beside the slider and read out. */
    valueText?: string;
  };

/** A value on a scale, with what it is now shown beside it. */
export const Slider = forwardRef<HTMLInputElement, SliderProps>(function Slider(
  { label, hint, error, testId, hideLabel, className, value, valueText, ...input },
  ref,
) {
  const { describedBy, notes } = useDescription(hint, error);
  const shown = valueText ?? String(value);
  return (
    <Frame
      label={label}
      hideLabel={hideLabel}
      notes={notes}
      className={['ui-slider', className].filter(Boolean).join(' ')}
      after={
        <output className="ui-slider-value" aria-hidden="true">
          {shown}
        </output>
      }
    >
      <input
        ref={ref}
        type="range"
        value={value}
        data-testid={testId}
        aria-valuetext={shown}
        aria-describedby={describedBy}
        {...input}
      />
    </Frame>
  );
});
