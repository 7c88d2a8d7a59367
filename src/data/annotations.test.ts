import { FieldType, toDataFrame } from '@grafana/data';
import { framesToAnnotations } from './annotations';

describe('framesToAnnotations', () => {
  it('turns session parts into regions tagged with attack types', () => {
    const frame = toDataFrame({
      name: 'sessions',
      fields: [
        { name: 'session_id', type: FieldType.string, values: ['s1', 's2'] },
        { name: 'start', type: FieldType.time, values: [1000, 5000] },
        { name: 'end', type: FieldType.time, values: [2000, 5000] },
        { name: 'requests', type: FieldType.number, values: [10, 1] },
        { name: 'attacks', type: FieldType.number, values: [3, 0] },
        { name: 'attack_types', type: FieldType.other, values: [['sqli', 'xss'], []] },
        { name: 'blocked', type: FieldType.number, values: [2, 0] },
        { name: 'user', type: FieldType.string, values: ['alice', null] },
        { name: 'client_ips', type: FieldType.other, values: [['10.0.0.1'], '10.0.0.2'] },
      ],
    });
    expect(framesToAnnotations([frame])).toEqual([
      {
        time: 1000,
        timeEnd: 2000,
        isRegion: true,
        title: 'Session s1',
        text: '10 requests, 3 attacks (sqli, xss)\n2 blocked\nalice · 10.0.0.1',
        tags: ['sqli', 'xss', 'blocked'],
      },
      {
        time: 5000,
        timeEnd: 5000,
        isRegion: false,
        title: 'Session s2',
        text: '1 requests, 0 attacks\n10.0.0.2',
        tags: [],
      },
    ]);
  });

  it('turns requests into points', () => {
    const frame = toDataFrame({
      name: 'requests',
      fields: [
        { name: 'time', type: FieldType.time, values: [3000] },
        { name: 'method', type: FieldType.string, values: ['POST'] },
        { name: 'endpoint', type: FieldType.string, values: ['/login'] },
        { name: 'status', type: FieldType.number, values: [401] },
        { name: 'client_ip', type: FieldType.string, values: ['10.0.0.9'] },
        { name: 'attack_types', type: FieldType.string, values: ['brute_force'] },
        { name: 'blocked', type: FieldType.boolean, values: [true] },
      ],
    });
    expect(framesToAnnotations([frame])).toEqual([
      { time: 3000, title: 'POST /login → 401', text: '10.0.0.9', tags: ['brute_force', 'blocked'] },
    ]);
  });

  it('ignores frames of other shapes, such as time series', () => {
    const frame = toDataFrame({ fields: [{ name: 'value', type: FieldType.string, values: ['x'] }] });
    const series = toDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [1] },
        { name: 'value', type: FieldType.number, values: [2] },
      ],
    });
    expect(framesToAnnotations([frame, series])).toEqual([]);
  });
});
