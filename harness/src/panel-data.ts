/**
 * What Grafana does to a panel's data before drawing it, done outside Grafana with @grafana/data's own functions: the
 * service's data-frame JSON becomes DataFrames, the panel's transformations run, then its field config (defaults and
 * overrides) is applied, which sets each field's display processor (units) and data links. Grafana's app supplies two
 * things these functions need; here they are stood in for: the registry of field-config properties (Grafana's lives in
 * its app code) and variable interpolation (Grafana's template service).
 */
import {
  FieldConfigOptionsRegistry,
  applyFieldOverrides,
  dataFrameFromJSON,
  getFieldDisplayValues,
  getFieldDisplayValuesProxy,
  transformDataFrame,
  type DataFrame,
  type DataFrameJSON,
  type DataTransformerConfig,
  type FieldConfigPropertyItem,
  type FieldOverrideContext,
  type FieldDisplay,
  type FieldConfigSource,
  type GrafanaTheme2,
  type InterpolateFunction,
  type ScopedVars,
} from '@grafana/data';
import { get } from 'lodash';
import { firstValueFrom } from 'rxjs';
import { registerStandardTransformers } from '../../src/test/transformers';
import { replaceVariables } from './variables';

/** A bundled dashboard panel with the service's answers to its queries (written by harness/panels.ts). */
export interface PanelSpec {
  /** DOM id of the rendered panel (also the screenshot's name). */
  id: string;
  dashboard: string;
  title: string;
  type: 'table' | 'timeseries' | 'bargauge';
  fieldConfig: FieldConfigSource;
  options: Record<string, any>;
  transformations?: DataTransformerConfig[];
  /** The frames of every target, in target order. */
  frames: DataFrameJSON[];
  /** The time range the queries ran on (epoch ms). */
  range: { from: number; to: number };
  /** The dashboard's variables as the queries used them. */
  vars: Record<string, string>;
}

/** Field-config properties that are not under `custom`, by id (their path is their id). */
const STANDARD_PROPERTIES = [
  'unit',
  'decimals',
  'min',
  'max',
  'displayName',
  'noValue',
  'links',
  'mappings',
  'thresholds',
  'color',
  'filterable',
];

/** Properties whose text Grafana interpolates per field. */
const TEXT_PROPERTIES = new Set(['displayName', 'noValue']);

/**
 * A registry of the field-config properties a panel uses (Grafana's own registry lives in its app code): each one
 * passes its value through unchanged, as Grafana's standard properties do for already-valid values; `custom.x` goes
 * to `config.custom.x`.
 */
export function fieldConfigRegistry(fieldConfig: FieldConfigSource): FieldConfigOptionsRegistry {
  const ids = new Set(STANDARD_PROPERTIES);
  for (const key of Object.keys(fieldConfig.defaults?.custom ?? {})) {
    ids.add(`custom.${key}`);
  }
  for (const override of fieldConfig.overrides ?? []) {
    for (const property of override.properties) {
      ids.add(property.id);
    }
  }
  const items = [...ids].map((id) => {
    const isCustom = id.startsWith('custom.');
    return {
      id,
      name: id,
      path: isCustom ? id.slice('custom.'.length) : id,
      isCustom,
      // Texts may name the field (`${__field.labels.endpoint}`): Grafana interpolates them per field.
      process: (value: unknown, context: FieldOverrideContext) =>
        typeof value === 'string' && TEXT_PROPERTIES.has(id)
          ? context.replaceVariables!(value, context.field!.state?.scopedVars)
          : value,
      shouldApply: () => true,
      override: () => null,
      editor: () => null,
    } as unknown as FieldConfigPropertyItem;
  });
  return new FieldConfigOptionsRegistry(() => items);
}

/**
 * Grafana's variable interpolation (harness/src/variables.ts) with, in data links, `${__value.raw|numeric|text}`
 * and `${__data.fields.<name>[.numeric|.text]}` of the clicked row.
 */
export function createReplaceVariables(
  vars: Record<string, string>,
  range: { from: number; to: number },
): InterpolateFunction {
  return (text, scopedVars, format) =>
    replaceVariables(
      text,
      vars,
      range,
      (name) => resolveScoped(name, scopedVars),
      typeof format === 'string' ? format : undefined,
    );
}

function resolveScoped(name: string, scopedVars?: ScopedVars): unknown {
  const context = scopedVars?.__dataContext?.value as
    { frame: DataFrame; field: DataFrame['fields'][number]; rowIndex?: number } | undefined;
  if (context && context.rowIndex !== undefined && name.startsWith('__value.')) {
    const raw = context.field.values[context.rowIndex];
    const which = name.slice('__value.'.length);
    if (which === 'raw') {
      return raw;
    }
    if (which === 'numeric') {
      return Number(raw);
    }
    return context.field.display ? context.field.display(raw).text : String(raw);
  }
  if (context && name.startsWith('__field.')) {
    const { field } = context;
    return get({ name: field.name, labels: field.labels ?? {} }, name.slice('__field.'.length));
  }
  if (context && context.rowIndex !== undefined && name.startsWith('__data.')) {
    const fields = getFieldDisplayValuesProxy({ frame: context.frame, rowIndex: context.rowIndex });
    return get({ name: context.frame.name, refId: context.frame.refId, fields }, name.slice('__data.'.length));
  }
  return scopedVars && name in scopedVars ? scopedVars[name]?.value : undefined;
}

/**
 * Field-config defaults the panel plugins add to what a dashboard saves (Grafana applies them when it loads a panel):
 * series colours from the classic palette, value colours from Grafana's default thresholds.
 */
const PLUGIN_DEFAULTS: Record<PanelSpec['type'], FieldConfigSource['defaults']> = {
  timeseries: { color: { mode: 'palette-classic' } },
  table: { color: { mode: 'thresholds' } },
  bargauge: { color: { mode: 'thresholds' } },
};
const DEFAULT_THRESHOLDS = {
  mode: 'absolute',
  steps: [
    { value: -Infinity, color: 'green' },
    { value: 80, color: 'red' },
  ],
};

/** The panel's field config with its plugin's defaults under what the dashboard sets. */
export function withPluginDefaults(spec: PanelSpec): FieldConfigSource {
  const defaults = { thresholds: DEFAULT_THRESHOLDS, ...PLUGIN_DEFAULTS[spec.type], ...spec.fieldConfig.defaults };
  return { ...spec.fieldConfig, defaults } as FieldConfigSource;
}

/** The panel's frames as Grafana would draw them: transformed, with its field config applied. */
export async function preparePanelFrames(spec: PanelSpec, theme: GrafanaTheme2): Promise<DataFrame[]> {
  registerStandardTransformers();
  const replaceVariables = createReplaceVariables(spec.vars, spec.range);
  const frames = spec.frames.map((json) => dataFrameFromJSON(json));
  const transformed = await firstValueFrom(
    transformDataFrame(spec.transformations ?? [], frames, { interpolate: (v: string) => replaceVariables(v) }),
  );
  const fieldConfig = withPluginDefaults(spec);
  return applyFieldOverrides({
    data: transformed,
    fieldConfig,
    fieldConfigRegistry: fieldConfigRegistry(fieldConfig),
    replaceVariables,
    theme,
    timeZone: 'utc',
  });
}

/** The values a bar-gauge panel shows: one per row or per reduced field, as its `reduceOptions` say. */
export function barGaugeValues(spec: PanelSpec, frames: DataFrame[], theme: GrafanaTheme2): FieldDisplay[] {
  return getFieldDisplayValues({
    data: frames,
    fieldConfig: withPluginDefaults(spec),
    reduceOptions: spec.options.reduceOptions,
    replaceVariables: createReplaceVariables(spec.vars, spec.range),
    theme,
    timeZone: 'utc',
  });
}
