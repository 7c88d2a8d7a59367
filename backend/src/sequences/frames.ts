/**
 * Sequences as frames (pure): Grafana's Node Graph panel takes two frames, `nodes` and `edges`, with its reserved
 * field names (`id`, `title`, `mainstat`, `secondarystat`, `arc__*` fractions that sum to 1, `detail__*`; `source`,
 * `target` on edges); the table format is one row per transition.
 */
import { buildFrame, floatColumn, intColumn, stringColumn, type DataFrame, type FrameMeta } from '../query/frames';
import { sessionListLink } from '../grafana';
import type { EdgeStat, NodeStat } from './transitions';

/** On every endpoint field (node ids, both ends of a table row): the session list filtered to that endpoint. */
const ENDPOINT_LINKS = { config: { links: [sessionListLink('endpoint')] } };

/** What the tally gave, with what the answer must say about it. */
export interface SequenceResult {
  nodes: NodeStat[];
  edges: EdgeStat[];
  /** A bound cut the input (nodes, edges, gap samples, or the query's cell budget). */
  truncated: boolean;
}

const ARCS: { name: keyof NodeStat['status']; field: string; color: string }[] = [
  { name: 's2xx', field: 'arc__2xx', color: 'green' },
  { name: 's3xx', field: 'arc__3xx', color: 'blue' },
  { name: 's4xx', field: 'arc__4xx', color: 'orange' },
  { name: 's5xx', field: 'arc__5xx', color: 'red' },
  { name: 'other', field: 'arc__other', color: 'gray' },
];

function meta(r: SequenceResult, visual: FrameMeta['preferredVisualisationType']): FrameMeta {
  const m: FrameMeta = { preferredVisualisationType: visual, custom: { truncated: r.truncated } };
  if (r.truncated)
    m.notices = [
      {
        severity: 'warning',
        text: 'Partial: the query bounds cut the input (too many endpoints, transitions or requests). Narrow the time range or add filters.',
      },
    ];
  return m;
}

/** The node ids of a graph: every node an edge names, or every node when there are no edges. */
function graphNodes(r: SequenceResult): NodeStat[] {
  if (r.edges.length === 0) return r.nodes;
  const used = new Set(r.edges.flatMap((e) => [e.from, e.to]));
  return r.nodes.filter((n) => used.has(n.endpoint));
}

/**
 * The Node Graph frames: nodes (endpoint, requests, sessions, status mix as arcs) and edges (transitions, with
 * the median gap for one session part, or the precedence across sessions).
 */
export function toGraphFrames(r: SequenceResult, refId: string | undefined, onePart: boolean): DataFrame[] {
  const nodes = graphNodes(r);
  const share = (n: NodeStat, k: keyof NodeStat['status']) => (n.requests === 0 ? 0 : n.status[k] / n.requests);
  const nodeFrame = buildFrame(
    'nodes',
    refId,
    [
      stringColumn(
        'id',
        nodes.map((n) => n.endpoint),
        ENDPOINT_LINKS,
      ),
      stringColumn(
        'title',
        nodes.map((n) => n.endpoint),
      ),
      intColumn(
        'mainstat',
        nodes.map((n) => n.requests),
        { config: { displayName: 'requests' } },
      ),
      intColumn(
        'secondarystat',
        nodes.map((n) => n.sessions),
        { config: { displayName: 'sessions' } },
      ),
      ...ARCS.map((a) =>
        floatColumn(
          a.field,
          nodes.map((n) => share(n, a.name)),
          { config: { color: { mode: 'fixed', fixedColor: a.color }, displayName: a.field.slice(5) } },
        ),
      ),
    ],
    meta(r, 'nodeGraph'),
  );
  const edgeFrame = buildFrame(
    'edges',
    refId,
    [
      stringColumn(
        'id',
        r.edges.map((e) => `${e.from} -> ${e.to}`),
      ),
      stringColumn(
        'source',
        r.edges.map((e) => e.from),
      ),
      stringColumn(
        'target',
        r.edges.map((e) => e.to),
      ),
      intColumn(
        'mainstat',
        r.edges.map((e) => e.transitions),
        { config: { displayName: 'transitions' } },
      ),
      onePart
        ? floatColumn(
            'secondarystat',
            r.edges.map((e) => e.medianGapMs),
            { config: { displayName: 'median gap', unit: 'ms' } },
          )
        : floatColumn(
            'secondarystat',
            r.edges.map((e) => e.precedence),
            { config: { displayName: 'precedence', unit: 'percentunit' } },
          ),
    ],
    meta(r, 'nodeGraph'),
  );
  return [nodeFrame, edgeFrame];
}

/** The table format: one row per transition (`from_endpoint`, `to_endpoint`, `transitions`, `sessions`, `precedence`, `median_gap_ms`). */
export function toTableFrame(r: SequenceResult, refId: string | undefined): DataFrame {
  return buildFrame(
    'sequences',
    refId,
    [
      stringColumn(
        'from_endpoint',
        r.edges.map((e) => e.from),
        ENDPOINT_LINKS,
      ),
      stringColumn(
        'to_endpoint',
        r.edges.map((e) => e.to),
        ENDPOINT_LINKS,
      ),
      intColumn(
        'transitions',
        r.edges.map((e) => e.transitions),
      ),
      intColumn(
        'sessions',
        r.edges.map((e) => e.sessions),
      ),
      floatColumn(
        'precedence',
        r.edges.map((e) => e.precedence),
        { config: { unit: 'percentunit' } },
      ),
      floatColumn(
        'median_gap_ms',
        r.edges.map((e) => e.medianGapMs),
        { config: { unit: 'ms' } },
      ),
    ],
    meta(r, 'table'),
  );
}
