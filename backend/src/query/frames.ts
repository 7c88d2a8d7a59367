/**
 * Builders for Grafana data-frame JSON (the wire format of `/api/ds/query`).
 *
 * Every field carries both the simple `type` (read by the Grafana frontend) and `typeInfo.frame`
 * (read by grafana-plugin-sdk-go's frame codec), so frames survive the TS → Go → Grafana round trip.
 */

/** Simple field type as Grafana's frontend names it. */
export type FieldType = 'time' | 'number' | 'string' | 'boolean' | 'other';

/** Go-side field type names understood by the plugin SDK's JSON frame codec. */
export type FrameType = 'time.Time' | 'float64' | 'int64' | 'string' | 'bool' | 'json.RawMessage';

/** Grafana data link, as it appears in a field's config. */
export interface DataLink {
  title: string;
  url: string;
  targetBlank?: boolean;
  internal?: { datasourceUid: string; datasourceName?: string; query: Record<string, unknown> };
}

/** Field config subset we emit (units, display names, links). */
export interface FieldConfig {
  unit?: string;
  displayName?: string;
  displayNameFromDS?: string;
  links?: DataLink[];
  [key: string]: unknown;
}

/** One field of a frame schema. */
export interface FrameField {
  name: string;
  type: FieldType;
  typeInfo: { frame: FrameType; nullable: boolean };
  config: FieldConfig;
  labels?: Record<string, string>;
}

/** A notice Grafana shows on the panel (frame `meta.notices`; the Go SDK decodes it too). */
export interface FrameNotice {
  severity: 'info' | 'warning' | 'error';
  text: string;
}

/** Frame-level metadata. */
export interface FrameMeta {
  type?: string;
  typeVersion?: [number, number];
  preferredVisualisationType?: 'table' | 'trace' | 'logs' | 'graph' | 'nodeGraph';
  custom?: Record<string, unknown>;
  notices?: FrameNotice[];
}

/** A data frame in Grafana's JSON form: schema + column values. */
export interface DataFrame {
  schema: { name: string; refId?: string; meta?: FrameMeta; fields: FrameField[] };
  data: { values: unknown[][] };
}

/** A column: field schema plus its values, before assembly into a frame. */
export interface Column {
  field: FrameField;
  values: unknown[];
}

interface ColumnOptions {
  config?: FieldConfig;
  labels?: Record<string, string>;
}

function column(name: string, type: FieldType, frame: FrameType, values: unknown[], opts: ColumnOptions = {}): Column {
  const field: FrameField = { name, type, typeInfo: { frame, nullable: true }, config: opts.config ?? {} };
  if (opts.labels && Object.keys(opts.labels).length > 0) field.labels = opts.labels;
  return { field, values };
}

/** Time column (epoch ms). */
export const timeColumn = (name: string, values: (number | null)[], opts?: ColumnOptions): Column =>
  column(name, 'time', 'time.Time', values, opts);

/** Float column. */
export const floatColumn = (name: string, values: (number | null)[], opts?: ColumnOptions): Column =>
  column(name, 'number', 'float64', values, opts);

/** Integer column (counts). */
export const intColumn = (name: string, values: (number | null)[], opts?: ColumnOptions): Column =>
  column(
    name,
    'number',
    'int64',
    values.map((v) => (v === null ? null : Math.round(v))),
    opts,
  );

/** String column. */
export const stringColumn = (name: string, values: (string | null)[], opts?: ColumnOptions): Column =>
  column(name, 'string', 'string', values, opts);

/** Boolean column. */
export const boolColumn = (name: string, values: (boolean | null)[], opts?: ColumnOptions): Column =>
  column(name, 'boolean', 'bool', values, opts);

/** JSON column (key/value lists such as trace tags, log labels). */
export const jsonColumn = (name: string, values: unknown[], opts?: ColumnOptions): Column =>
  column(name, 'other', 'json.RawMessage', values, opts);

/**
 * Assembles columns into a frame.
 * @example buildFrame('sessions', 'A', [stringColumn('session_id', ['k1'])], { preferredVisualisationType: 'table' })
 */
export function buildFrame(name: string, refId: string | undefined, columns: Column[], meta?: FrameMeta): DataFrame {
  const schema: DataFrame['schema'] = { name, fields: columns.map((c) => c.field) };
  if (refId !== undefined) schema.refId = refId;
  if (meta) schema.meta = meta;
  return { schema, data: { values: columns.map((c) => c.values) } };
}

/**
 * A numeric time series frame (`time`, value field named after the series, optional labels): the shape
 * Grafana alerting reduces and thresholds.
 */
export function timeSeriesFrame(
  name: string,
  refId: string | undefined,
  times: number[],
  values: (number | null)[],
  opts: { labels?: Record<string, string>; unit?: string; int?: boolean; fieldName?: string } = {},
): DataFrame {
  const config: FieldConfig = opts.unit ? { unit: opts.unit } : {};
  const fieldName = opts.fieldName ?? name;
  const valueCol = opts.int
    ? intColumn(fieldName, values, { labels: opts.labels, config })
    : floatColumn(fieldName, values, { labels: opts.labels, config });
  return buildFrame(name, refId, [timeColumn('time', times), valueCol], {
    type: 'timeseries-multi',
    typeVersion: [0, 1],
  });
}
