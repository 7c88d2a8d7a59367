/**
 * What a drawn panel must show, worked out from its prepared frames (no DOM): that it has data, the values of every
 * field with a unit formatted with that unit, and the data links of every field that has any. The browser test then
 * looks for these on the page. Problems found in the frames themselves (a unit the panel sets that reaches no field,
 * a link with an unresolved variable, two links with one title) are listed directly.
 */
import {
  FieldType,
  fieldMatchers,
  formattedValueToString,
  getFieldDisplayName,
  reduceField,
  ReducerID,
  type DataFrame,
  type Field,
  type GrafanaTheme2,
} from '@grafana/data';
import { barGaugeValues, type PanelSpec } from './panel-data';

/** What the browser test checks on one drawn panel. */
export interface PanelExpectations {
  id: string;
  dashboard: string;
  title: string;
  type: PanelSpec['type'];
  /** Rows (table), non-empty series (time series) or bars (bar gauge) the panel draws. */
  items: number;
  /** Per field with a unit that shows as text: values as the panel formats them; at least one must be visible. */
  units: Array<{ field: string; unit: string; shown: string[] }>;
  /** Per table field with data links: its column header and the first row's links. */
  links: Array<{ header: string; links: Array<{ title: string; href: string }> }>;
  /** Problems found without looking at the page. */
  problems: string[];
}

/** Units that add no visible text to small numbers (their values look the same with or without them). */
const SILENT_UNITS = new Set(['', 'none', 'short']);
/** Table rows whose values are compared with the page (the first rows are the ones drawn first). */
const SAMPLE_ROWS = 5;

/** Works out what the page must show for one panel. */
export function expectationsOf(
  spec: PanelSpec,
  frames: DataFrame[],
  theme: GrafanaTheme2,
  error?: string,
): PanelExpectations {
  const base = { id: spec.id, dashboard: spec.dashboard, title: spec.title, type: spec.type };
  if (error) {
    return { ...base, items: 0, units: [], links: [], problems: [`could not prepare the frames: ${error}`] };
  }
  const drawn = spec.type === 'table' ? frames.slice(0, 1) : frames;
  const problems = unitsThatReachNoField(spec, drawn);
  if (spec.type === 'bargauge') {
    // With nothing to show, Grafana draws one "No data" bar: it has no row behind it (no view).
    const values = barGaugeValues(spec, frames, theme).filter((v) => v.view !== undefined);
    const units = values
      .filter((v) => !SILENT_UNITS.has(v.field.unit ?? ''))
      .map((v) => ({ field: v.display.title ?? '', unit: v.field.unit!, shown: [formattedValueToString(v.display)] }));
    return { ...base, items: values.length, units, links: [], problems };
  }
  const units = drawn.flatMap((frame) =>
    frame.fields
      .filter((f) => f.type !== FieldType.time && !SILENT_UNITS.has(f.config.unit ?? '') && f.display)
      .map((f) => ({ field: getFieldDisplayName(f, frame, drawn), unit: f.config.unit!, shown: shownValues(spec, f) }))
      .filter((u) => u.shown.length > 0),
  );
  if (spec.type === 'timeseries') {
    const series = drawn.flatMap((f) => f.fields).filter((f) => f.type === FieldType.number && hasValue(f));
    return { ...base, items: series.length, units, links: [], problems };
  }
  const frame = drawn[0];
  const links = (frame?.fields ?? [])
    .filter((f) => (f.config.links?.length ?? 0) > 0 && f.values.length > 0)
    .map((f) => ({
      header: getFieldDisplayName(f, frame, drawn),
      links: (f.getLinks?.({ valueRowIndex: 0 }) ?? []).map((l) => ({ title: l.title, href: l.href })),
    }));
  for (const { header, links: list } of links) {
    problems.push(...linkProblems(header, list));
  }
  return { ...base, items: frame?.length ?? 0, units, links, problems };
}

function hasValue(field: Field): boolean {
  return field.values.some((v) => v !== null && v !== undefined);
}

/** The formatted values to look for: the first rows of a table, the legend's Max of a time series. */
function shownValues(spec: PanelSpec, field: Field): string[] {
  const display = field.display!;
  if (spec.type === 'timeseries') {
    const max = reduceField({ field, reducers: [ReducerID.max] })[ReducerID.max];
    return max === null || max === undefined || !Number.isFinite(max) ? [] : [formattedValueToString(display(max))];
  }
  return field.values
    .slice(0, SAMPLE_ROWS)
    .filter((v) => v !== null && v !== undefined)
    .map((v) => formattedValueToString(display(v)));
}

/**
 * Units the panel sets that no drawn field ends up with: the default unit when no field has it, and each override's
 * unit when its matcher matches no field (e.g. a field renamed by the service).
 */
function unitsThatReachNoField(spec: PanelSpec, frames: DataFrame[]): string[] {
  const fields = frames.flatMap((frame) => frame.fields.map((field) => ({ field, frame })));
  const problems: string[] = [];
  const defaultUnit = spec.fieldConfig.defaults?.unit;
  if (defaultUnit && !fields.some(({ field }) => field.config.unit === defaultUnit)) {
    problems.push(`the panel's unit "${defaultUnit}" reaches no field`);
  }
  for (const override of spec.fieldConfig.overrides ?? []) {
    const unit = override.properties.find((p) => p.id === 'unit')?.value;
    if (!unit) {
      continue;
    }
    const matches = fieldMatchers.get(override.matcher.id).get(override.matcher.options);
    if (!fields.some(({ field, frame }) => matches(field, frame, frames) && field.config.unit === unit)) {
      problems.push(`the unit "${unit}" for ${JSON.stringify(override.matcher.options)} reaches no field`);
    }
  }
  return problems;
}

/** Links that would not work or would confuse: unresolved variables, no target, one title twice. */
function linkProblems(header: string, links: Array<{ title: string; href: string }>): string[] {
  const problems: string[] = [];
  if (links.length === 0) {
    problems.push(`${header}: has data links configured but none resolves`);
  }
  for (const link of links) {
    if (!link.href || /\$\{|undefined|=&|=$/.test(link.href)) {
      problems.push(`${header}: link "${link.title}" does not resolve: ${link.href}`);
    }
  }
  const titles = links.map((l) => l.title);
  const twice = titles.filter((t, i) => titles.indexOf(t) !== i);
  if (twice.length > 0) {
    problems.push(`${header}: two links titled ${JSON.stringify(twice[0])} (${links.map((l) => l.href).join(' | ')})`);
  }
  return problems;
}
