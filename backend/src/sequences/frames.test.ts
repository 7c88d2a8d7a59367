import { toGraphFrames, toTableFrame, type SequenceResult } from './frames';

const result: SequenceResult = {
  nodes: [
    { endpoint: '/cart', requests: 4, sessions: 2, status: { s2xx: 3, s3xx: 0, s4xx: 1, s5xx: 0, other: 0 } },
    { endpoint: '/checkout', requests: 2, sessions: 2, status: { s2xx: 2, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 } },
    { endpoint: '/unlinked', requests: 1, sessions: 1, status: { s2xx: 1, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 } },
  ],
  edges: [{ from: '/cart', to: '/checkout', transitions: 2, sessions: 2, precedence: 1, medianGapMs: 1500 }],
  truncated: false,
};

const column = (frame: { schema: { fields: { name: string }[] }; data: { values: unknown[][] } }, name: string) =>
  frame.data.values[frame.schema.fields.findIndex((f) => f.name === name)];

describe('sequence frames', () => {
  it('gives the Node Graph its nodes and edges frames, arcs summing to 1, nodes only those the edges name', () => {
    const [nodes, edges] = toGraphFrames(result, 'A', false);
    expect(nodes.schema.name).toBe('nodes');
    expect(nodes.schema.meta?.preferredVisualisationType).toBe('nodeGraph');
    expect(column(nodes, 'id')).toEqual(['/cart', '/checkout']);
    expect(column(nodes, 'mainstat')).toEqual([4, 2]);
    expect(column(nodes, 'arc__2xx')).toEqual([0.75, 1]);
    expect(column(nodes, 'arc__4xx')).toEqual([0.25, 0]);
    const arcs = nodes.schema.fields.filter((f) => f.name.startsWith('arc__')).map((f) => f.name);
    for (let i = 0; i < 2; i++) expect(arcs.reduce((s, a) => s + (column(nodes, a)[i] as number), 0)).toBeCloseTo(1);
    expect(edges.schema.name).toBe('edges');
    expect(column(edges, 'source')).toEqual(['/cart']);
    expect(column(edges, 'target')).toEqual(['/checkout']);
    expect(column(edges, 'mainstat')).toEqual([2]);
    expect(column(edges, 'secondarystat')).toEqual([1]);
    expect(edges.schema.fields.find((f) => f.name === 'secondarystat')?.config.displayName).toBe('precedence');
  });

  it('shows the median gap on the edges of one session part', () => {
    const [, edges] = toGraphFrames(result, 'A', true);
    expect(column(edges, 'secondarystat')).toEqual([1500]);
    expect(edges.schema.fields.find((f) => f.name === 'secondarystat')?.config.unit).toBe('ms');
  });

  it('keeps every node when there is no transition (a one-request part)', () => {
    const [nodes] = toGraphFrames({ ...result, edges: [] }, 'A', true);
    expect(column(nodes, 'id')).toEqual(['/cart', '/checkout', '/unlinked']);
  });

  it('lists transitions as a table, and says when bounds cut the input', () => {
    const table = toTableFrame({ ...result, truncated: true }, 'A');
    expect(table.schema.fields.map((f) => f.name)).toEqual([
      'from_endpoint',
      'to_endpoint',
      'transitions',
      'sessions',
      'precedence',
      'median_gap_ms',
    ]);
    expect(table.data.values.map((v) => v[0])).toEqual(['/cart', '/checkout', 2, 2, 1, 1500]);
    expect(table.schema.meta?.custom).toEqual({ truncated: true });
    expect(table.schema.meta?.notices?.[0].severity).toBe('warning');
  });

  it('links every endpoint (node, both ends of a row) to the session list filtered to it', () => {
    const [nodes] = toGraphFrames(result, 'A', false);
    const table = toTableFrame(result, 'A');
    const links = (frame: typeof nodes, name: string) =>
      frame.schema.fields.find((f) => f.name === name)?.config.links?.map((l) => l.url);
    const toList =
      '/d/api-sessions-overview/api-sessions?var-endpoint=${__value.raw:percentencode}&${__url_time_range}';
    expect(links(nodes, 'id')).toEqual([toList]);
    expect(links(table, 'from_endpoint')).toEqual([toList]);
    expect(links(table, 'to_endpoint')).toEqual([toList]);
  });
});
