import { buildFrame, intColumn, jsonColumn, stringColumn, timeColumn, timeSeriesFrame } from './frames';

test('fields carry type and typeInfo; values are column-major', () => {
  const frame = buildFrame(
    't',
    'A',
    [
      timeColumn('time', [1]),
      intColumn('n', [1.4]),
      stringColumn('s', [null]),
      jsonColumn('j', [[{ key: 'a', value: 1 }]]),
    ],
    {
      preferredVisualisationType: 'table',
    },
  );
  expect(frame).toEqual({
    schema: {
      name: 't',
      refId: 'A',
      meta: { preferredVisualisationType: 'table' },
      fields: [
        { name: 'time', type: 'time', typeInfo: { frame: 'time.Time', nullable: true }, config: {} },
        { name: 'n', type: 'number', typeInfo: { frame: 'int64', nullable: true }, config: {} },
        { name: 's', type: 'string', typeInfo: { frame: 'string', nullable: true }, config: {} },
        { name: 'j', type: 'other', typeInfo: { frame: 'json.RawMessage', nullable: true }, config: {} },
      ],
    },
    data: { values: [[1], [1], [null], [[{ key: 'a', value: 1 }]]] },
  });
});

test('time series frame with labels', () => {
  const f = timeSeriesFrame('rate', undefined, [0, 1], [1, 2], {
    labels: { endpoint: '/a' },
    unit: 'reqps',
    fieldName: 'value',
  });
  expect(f.schema.fields[1]).toEqual({
    name: 'value',
    type: 'number',
    typeInfo: { frame: 'float64', nullable: true },
    config: { unit: 'reqps' },
    labels: { endpoint: '/a' },
  });
  expect(f.schema.meta?.type).toBe('timeseries-multi');
});
