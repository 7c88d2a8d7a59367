import '../test/setup';
import {
  FieldType,
  getFieldDisplayName,
  toDataFrame,
  transformDataFrame,
  type DataFrame,
  type DataTransformerConfig,
  type Field,
  type FieldConfigSource,
} from '@grafana/data';
import fs from 'fs';
import path from 'path';
import { firstValueFrom } from 'rxjs';
import { registerStandardTransformers } from '../test/transformers';

/**
 * Runs the performance panels' transformations on frames shaped like the service's `performance` time series (one
 * frame per series, named after it, value field of the same name, `endpoint` label when split) and checks which
 * series each panel shows, under which names. (Regex options of filterFieldsByName must be written `/…/`: a bare
 * pattern is anchored at both ends.)
 */
registerStandardTransformers();

const SERIES = ['latency_p50', 'latency_p95', 'latency_p99', 'rate', 'error_rate'];
const frame = (name: string, labels?: Record<string, string>) =>
  toDataFrame({
    name,
    refId: 'A',
    fields: [
      { name: 'time', type: FieldType.time, values: [1, 2] },
      { name, type: FieldType.number, values: [3, 4], labels },
    ],
  });

interface Panel {
  title: string;
  transformations?: DataTransformerConfig[];
  fieldConfig: FieldConfigSource;
  targets: Array<{ by_endpoint?: boolean }>;
}
const panels: Panel[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'api-performance.json'), 'utf8')).panels;

/**
 * Resolves the field-scoped variables a displayName may use (`${__field.name}`, `${__field.labels.x}`), as
 * Grafana's template service does when it applies the panel's field config.
 */
function resolveDisplayName(template: string, field: Field): string {
  return template.replace(/\$\{__field\.(name|labels\.(\w+))\}/g, (_m, what: string, label?: string) =>
    label ? (field.labels?.[label] ?? '') : field.name,
  );
}

async function shownSeries(title: string): Promise<string[]> {
  const panel = panels.find((p) => p.title === title)!;
  const input = panel.targets[0].by_endpoint
    ? ['/login', '/slow'].flatMap((e) => SERIES.map((s) => frame(s, { endpoint: e })))
    : SERIES.map((s) => frame(s));
  const ctx = { interpolate: (v: string) => v };
  const shown: DataFrame[] = await firstValueFrom(transformDataFrame(panel.transformations ?? [], input, ctx));
  const template = panel.fieldConfig.defaults.displayName;
  return shown.flatMap((f) =>
    f.fields
      .filter((x) => x.type !== FieldType.time)
      .map((x) => (template ? resolveDisplayName(template, x) : getFieldDisplayName(x, f, shown))),
  );
}

describe('API Performance panels on service-shaped frames', () => {
  it.each([
    ['Latency percentiles', ['latency_p50', 'latency_p95', 'latency_p99']],
    ['Request rate', ['requests/s']],
    ['Error rate (5xx)', ['5xx share']],
    ['p95 latency by endpoint (top 5)', ['/login', '/slow']],
  ])('%s shows %j', async (title, expected) => {
    expect(await shownSeries(title)).toEqual(expected);
  });
});
