import { DAY_MS } from '../durations';
import { median, TransitionTally, type Step } from './transitions';

const T = 30 * 60_000;
const opts = { idleMs: T, splitByDay: true };
const step = (key: string, ts: number, endpoint: string, status = 200): Step => ({ key, ts, endpoint, status });

function tally(steps: Step[], o = opts, limits = {}) {
  const t = new TransitionTally(o, limits);
  for (const s of steps) t.add(s);
  return t.result();
}

describe('TransitionTally', () => {
  it('counts repeated endpoints as nodes once and self-transitions as edges, with median gaps', () => {
    const r = tally([
      step('a', 1000, '/login'),
      step('a', 2000, '/login', 401),
      step('a', 5000, '/login'),
      step('a', 6000, '/cart'),
      step('a', 16_000, '/checkout', 500),
    ]);
    expect(r.nodes).toEqual([
      { endpoint: '/login', requests: 3, sessions: 1, status: { s2xx: 2, s3xx: 0, s4xx: 1, s5xx: 0, other: 0 } },
      { endpoint: '/cart', requests: 1, sessions: 1, status: { s2xx: 1, s3xx: 0, s4xx: 0, s5xx: 0, other: 0 } },
      { endpoint: '/checkout', requests: 1, sessions: 1, status: { s2xx: 0, s3xx: 0, s4xx: 0, s5xx: 1, other: 0 } },
    ]);
    expect(r.edges).toEqual([
      { from: '/login', to: '/login', transitions: 2, sessions: 1, precedence: 2 / 3, medianGapMs: 2000 },
      { from: '/cart', to: '/checkout', transitions: 1, sessions: 1, precedence: 1, medianGapMs: 10_000 },
      { from: '/login', to: '/cart', transitions: 1, sessions: 1, precedence: 1, medianGapMs: 1000 },
    ]);
    expect(r.parts).toBe(1);
  });

  it('takes equal timestamps in stream order (by request id) with a gap of 0', () => {
    const r = tally([step('a', 1000, '/x'), step('a', 1000, '/y'), step('a', 1000, '/x')]);
    expect(r.edges.map((e) => [e.from, e.to, e.medianGapMs])).toEqual([
      ['/x', '/y', 0],
      ['/y', '/x', 0],
    ]);
  });

  it('splits parts at the idle timeout (a gap of exactly T splits) and never counts a transition across', () => {
    const r = tally([
      step('a', 0, '/a'),
      step('a', T - 1, '/b'), // same part
      step('a', 2 * T - 1, '/c'), // gap exactly T: a new part
    ]);
    expect(r.parts).toBe(2);
    expect(r.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['/a>/b']);
  });

  it('splits parts at UTC midnight when parts split by day, and not otherwise', () => {
    const steps = [step('a', DAY_MS - 1000, '/a'), step('a', DAY_MS + 1000, '/b')];
    expect(tally(steps).edges).toEqual([]);
    expect(tally(steps, { idleMs: T, splitByDay: false }).edges).toHaveLength(1);
  });

  it('never joins two keys, and counts sessions per part', () => {
    const r = tally([
      step('a', 0, '/cart'),
      step('a', 10, '/checkout'),
      step('a', 20, '/cart'),
      step('a', 30, '/checkout'),
      step('b', 40, '/checkout'),
      step('c', 0, '/cart'),
      step('c', 10, '/checkout'),
    ]);
    const e = r.edges.find((x) => x.from === '/cart' && x.to === '/checkout')!;
    expect([e.transitions, e.sessions]).toEqual([3, 2]);
    // /checkout was requested 4 times, 3 of them right after /cart: precedence 0.75.
    expect(e.precedence).toBe(0.75);
    expect(r.nodes.find((n) => n.endpoint === '/checkout')).toMatchObject({ requests: 4, sessions: 3 });
  });

  it('keeps the top edges by transitions when a limit is given', () => {
    const r = tally([
      step('a', 0, '/a'),
      step('a', 1, '/b'),
      step('a', 2, '/a'),
      step('a', 3, '/b'),
      step('a', 4, '/c'),
    ]);
    expect(r.edges.map((e) => `${e.from}>${e.to}`)).toEqual(['/a>/b', '/b>/a', '/b>/c']);
    expect(tally([step('a', 0, '/a'), step('a', 1, '/b'), step('a', 2, '/a'), step('a', 3, '/b')]).edges).toHaveLength(
      2,
    );
    const t = new TransitionTally(opts);
    for (const s of [step('a', 0, '/a'), step('a', 1, '/b'), step('a', 2, '/a'), step('a', 3, '/b')]) t.add(s);
    expect(t.result(1).edges.map((e) => `${e.from}>${e.to}`)).toEqual(['/a>/b']);
  });

  it('stays bounded: endpoints and edges past the caps are not counted, and it says so', () => {
    const steps = Array.from({ length: 100 }, (_, i) => step('a', i, `/e${i}`));
    const r = tally(steps, opts, { maxNodes: 10, maxEdges: 5 });
    expect(r.nodes).toHaveLength(10);
    expect(r.edges).toHaveLength(5);
    expect(r.truncated).toBe(true);
    expect(tally(steps.slice(0, 3)).truncated).toBe(false);
  });

  it('refuses steps out of time order within a key', () => {
    const t = new TransitionTally(opts);
    t.add(step('a', 10, '/a'));
    expect(() => t.add(step('a', 5, '/b'))).toThrow(/out of time order/);
  });
});

describe('median', () => {
  it('is the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
