import { Combobox, InlineField, InlineSwitch, Input, type ComboboxOption } from '@grafana/ui';

/** Label width (× 8 px) shared by the query editors so their fields line up. */
export const LABEL_WIDTH = 16;

interface BaseProps {
  /** DOM id of the input; prefixed with the query's refId so several editors can share a page. */
  id: string;
  label: string;
  tooltip?: string;
  /** Label width (× 8 px) when the label is longer than usual. */
  labelWidth?: number;
}

interface TextFieldProps extends BaseProps {
  value: string | number | undefined;
  placeholder?: string;
  width?: number;
  /** Called with the new text, or undefined when cleared. */
  onChange: (value: string | undefined) => void;
  onBlur?: () => void;
}

/** A labelled text input. */
export function TextField(props: TextFieldProps) {
  const { id, label, tooltip, labelWidth = LABEL_WIDTH, value, placeholder, width = 24, onChange, onBlur } = props;
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip}>
      <Input
        id={id}
        width={width}
        value={value ?? ''}
        placeholder={placeholder}
        onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

interface NumberFieldProps extends BaseProps {
  value: number | undefined;
  placeholder?: string;
  min?: number;
  max?: number;
  width?: number;
  onChange: (value: number | undefined) => void;
  onBlur?: () => void;
}

/** A labelled integer input; clearing it means "service default". */
export function NumberField(props: NumberFieldProps) {
  const {
    id,
    label,
    tooltip,
    labelWidth = LABEL_WIDTH,
    value,
    placeholder,
    min,
    max,
    width = 12,
    onChange,
    onBlur,
  } = props;
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip}>
      <Input
        id={id}
        type="number"
        width={width}
        min={min}
        max={max}
        value={value ?? ''}
        placeholder={placeholder}
        onChange={(e) => {
          const text = e.currentTarget.value.trim();
          onChange(text === '' || Number.isNaN(Number(text)) ? undefined : Math.trunc(Number(text)));
        }}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

interface SwitchFieldProps extends BaseProps {
  value: boolean;
  onChange: (value: boolean) => void;
}

/** A labelled on/off switch. */
export function SwitchField({ id, label, tooltip, labelWidth = LABEL_WIDTH, value, onChange }: SwitchFieldProps) {
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip}>
      <InlineSwitch id={id} value={value} onChange={(e) => onChange(e.currentTarget.checked)} />
    </InlineField>
  );
}

interface SelectFieldProps<T extends string> extends BaseProps {
  value: T | undefined;
  options: ReadonlyArray<ComboboxOption<T>>;
  width?: number;
  /** Offer an ✕ that clears the value (`onChange(undefined)`). */
  isClearable?: boolean;
  placeholder?: string;
  onChange: (value: T | undefined) => void;
}

/** A labelled drop-down of fixed options (Grafana's Combobox: type to filter, arrows to move). */
export function SelectField<T extends string>(props: SelectFieldProps<T>) {
  const { id, label, tooltip, labelWidth = LABEL_WIDTH, value, width = 24, isClearable, placeholder, onChange } = props;
  const options = props.options as Array<ComboboxOption<T>>;
  const common = { id, width, options, placeholder, value: value ?? null };
  return (
    <InlineField label={label} labelWidth={labelWidth} tooltip={tooltip}>
      {isClearable ? (
        <Combobox<T> {...common} isClearable onChange={(o) => onChange(o?.value)} />
      ) : (
        <Combobox<T> {...common} onChange={(o) => onChange(o.value)} />
      )}
    </InlineField>
  );
}

/** Turns `['last_activity', …]` into options labelled "Last activity", …, unless a label is given. */
export function toOptions<T extends string>(
  values: readonly T[],
  labels: Partial<Record<T, string>> = {},
): Array<ComboboxOption<T>> {
  return values.map((value) => ({ value, label: labels[value] ?? humanize(value) }));
}

function humanize(value: string): string {
  const text = value.replace(/_/g, ' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}
