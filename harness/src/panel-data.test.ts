import '../../src/test/setup';
import { createTheme, FieldType, type DataFrameJSON } from '@grafana/data';
import { createReplaceVariables, preparePanelFrames, type PanelSpec } from './panel-data';
import { expectationsOf } from './panel-expectations';

const theme = createTheme();
const range = { from: 1_700_000_000_000, to: 1_700_000_600_000 };

/** A sessions-like frame as the service sends it: session ids with the service's own data link. */
const sessionsFrame: DataFrameJSON = {
  schema: {
    name: 'sessions',
    refId: 'A',
    fields: [
      {
        name: 'session_id',
        type: FieldType.string,
        config: { links: [{ title: 'Session details', url: '/d/x/y?var-session=${__value.raw}' }] },
      },
      { name: 'start', type: FieldType.time, config: {} },
      { name: 'duration_ms', type: FieldType.number, config: {} },
    ],
  },
  data: {
    values: [
      ['s-1', 's 2'],
      [range.from, range.from + 1000],
      [1500, 20],
    ],
  },
};

const spec = (fieldConfig: PanelSpec['fieldConfig']): PanelSpec => ({
  id: 'p',
  dashboard: 'D',
  title: 'T',
  type: 'table',
  fieldConfig,
  options: {},
  frames: [sessionsFrame],
  range,
  vars: { host: 'api.example.com', status: 'shadow,zombie' },
});

describe('createReplaceVariables', () => {
  const replace = createReplaceVariables({ host: 'a b', list: 'x,y' }, range);

  it('interpolates dashboard variables in Grafana syntax, with formats', () => {
    expect(replace('$host|${host}|${list:csv}|${host:percentencode}')).toBe('a b|a b|x,y|a%20b');
    expect(replace('${__url_time_range}')).toBe(`from=${range.from}&to=${range.to}`);
  });

  it('leaves what it cannot resolve as written', () => {
    expect(replace('${nope} $nope')).toBe('${nope} $nope');
  });
});

describe('preparePanelFrames', () => {
  it("applies the panel's units and resolves the frame's data links for the clicked row", async () => {
    const [frame] = await preparePanelFrames(
      spec({
        defaults: {},
        overrides: [{ matcher: { id: 'byName', options: 'duration_ms' }, properties: [{ id: 'unit', value: 'ms' }] }],
      }),
      theme,
    );
    const duration = frame.fields.find((f) => f.name === 'duration_ms')!;
    expect(duration.config.unit).toBe('ms');
    expect(duration.display!(1500)).toMatchObject({ text: '1.50', suffix: ' s' });
    const session = frame.fields[0];
    expect(session.getLinks!({ valueRowIndex: 1 }).map((l) => l.href)).toEqual(['/d/x/y?var-session=s%202']);
  });

  it('adds the links of a panel override to those of the frame (why the dashboards set none on session ids)', async () => {
    const [frame] = await preparePanelFrames(
      spec({
        defaults: {},
        overrides: [
          {
            matcher: { id: 'byName', options: 'session_id' },
            properties: [
              { id: 'links', value: [{ title: 'Session details', url: '/d/x/y?var-session=${__value.raw}' }] },
            ],
          },
        ],
      }),
      theme,
    );
    expect(frame.fields[0].getLinks!({ valueRowIndex: 0 }).map((l) => l.title)).toEqual([
      'Session details',
      'Session details',
    ]);
    expect(expectationsOf(spec({ defaults: {}, overrides: [] }), [frame], theme).problems).toEqual([
      expect.stringMatching(/^session_id: two links titled "Session details"/),
    ]);
  });
});

describe('expectationsOf', () => {
  it('lists the values to look for with their units, and the links of each linked column', async () => {
    const fieldConfig = {
      defaults: {},
      overrides: [{ matcher: { id: 'byName', options: 'duration_ms' }, properties: [{ id: 'unit', value: 'ms' }] }],
    };
    const frames = await preparePanelFrames(spec(fieldConfig), theme);
    const e = expectationsOf(spec(fieldConfig), frames, theme);
    expect(e).toMatchObject({ items: 2, problems: [] });
    expect(e.units).toEqual([{ field: 'duration_ms', unit: 'ms', shown: ['1.50 s', '20 ms'] }]);
    expect(e.links).toEqual([
      { header: 'session_id', links: [{ title: 'Session details', href: '/d/x/y?var-session=s-1' }] },
    ]);
  });

  it('reports a unit the panel sets for a field the frames do not have', async () => {
    const fieldConfig = {
      defaults: {},
      overrides: [{ matcher: { id: 'byName', options: 'latency_ms' }, properties: [{ id: 'unit', value: 'ms' }] }],
    };
    const frames = await preparePanelFrames(spec(fieldConfig), theme);
    expect(expectationsOf(spec(fieldConfig), frames, theme).problems).toEqual([
      'the unit "ms" for "latency_ms" reaches no field',
    ]);
  });
});
