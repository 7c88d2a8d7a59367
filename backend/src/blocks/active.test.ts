import { ActiveBlocks } from './active';
import { parseIp } from './ip';
import type { Block } from './model';

const NOW = Date.UTC(2026, 0, 10, 12);
let n = 0;
const block = (target: Block['target'], extra: Partial<Block> = {}): Block => ({
  id: `b${++n}`,
  target,
  mode: 'block',
  reason: 'test',
  source: 'api',
  created_at: NOW - 1000,
  created_by: 'soc',
  expires_at: NOW + 60_000,
  hits: { blocked: 0, monitored: 0 },
  updated_at: NOW - 1000,
  ...extra,
});
const req = (over: { key?: string; user?: string; ip?: string; host?: string; app?: string } = {}) => ({
  key: over.key ?? 'k-none',
  user: over.user,
  ip: over.ip ? parseIp(over.ip) : undefined,
  host: over.host,
  app: over.app,
});

describe('ActiveBlocks', () => {
  it('matches by session key, user, IP and CIDR (v4, v6, mapped v4)', () => {
    const set = new ActiveBlocks();
    const s = block({ type: 'session_id', value: 'k1' });
    const u = block({ type: 'user', value: 'alice' });
    const r = block({ type: 'client_ip', value: '203.0.113.0/24' });
    const one = block({ type: 'client_ip', value: '198.51.100.7' });
    const v6 = block({ type: 'client_ip', value: '2001:db8::/32' });
    for (const b of [s, u, r, one, v6]) set.upsert(b, NOW);
    expect(set.match(req({ key: 'k1' }), NOW).block).toBe(s);
    expect(set.match(req({ user: 'alice' }), NOW).block).toBe(u);
    expect(set.match(req({ ip: '203.0.113.99' }), NOW).block).toBe(r);
    expect(set.match(req({ ip: '::ffff:203.0.113.99' }), NOW).block).toBe(r);
    expect(set.match(req({ ip: '198.51.100.7' }), NOW).block).toBe(one);
    expect(set.match(req({ ip: '198.51.100.8' }), NOW).block).toBeUndefined();
    expect(set.match(req({ ip: '2001:db8:1::5' }), NOW).block).toBe(v6);
    expect(set.match(req({ ip: '2001:db9::5', user: 'bob', key: 'k2' }), NOW)).toEqual({ monitors: [] });
  });

  it('applies host and app scopes (a host scope also matches host:port)', () => {
    const set = new ActiveBlocks();
    const b = block({ type: 'session_id', value: 'k1' }, { host: 'api.example.com', app: 'shop' });
    set.upsert(b, NOW);
    expect(set.match(req({ key: 'k1', host: 'api.example.com', app: 'shop' }), NOW).block).toBe(b);
    expect(set.match(req({ key: 'k1', host: 'api.example.com:8443', app: 'shop' }), NOW).block).toBe(b);
    expect(set.match(req({ key: 'k1', host: 'other.example.com', app: 'shop' }), NOW).block).toBeUndefined();
    expect(set.match(req({ key: 'k1', host: 'api.example.com' }), NOW).block).toBeUndefined();
    expect(set.match(req({ key: 'k1', app: 'shop' }), NOW).block).toBeUndefined();
  });

  it('prefers a block over monitors and lists every matching monitor otherwise', () => {
    const set = new ActiveBlocks();
    const m1 = block({ type: 'client_ip', value: '10.0.0.0/8' }, { mode: 'monitor' });
    const m2 = block({ type: 'session_id', value: 'k1' }, { mode: 'monitor' });
    set.upsert(m1, NOW);
    set.upsert(m2, NOW);
    expect(set.match(req({ key: 'k1', ip: '10.1.2.3' }), NOW)).toEqual({ monitors: [m2, m1] });
    const b = block({ type: 'client_ip', value: '10.1.0.0/16' });
    set.upsert(b, NOW);
    expect(set.match(req({ key: 'k1', ip: '10.1.2.3' }), NOW)).toEqual({ block: b, monitors: [] });
  });

  it('ignores expired blocks at match time, removes ended ones on upsert, and prunes', () => {
    const set = new ActiveBlocks();
    const b = block({ type: 'user', value: 'alice' }, { expires_at: NOW + 10 });
    set.upsert(b, NOW);
    expect(set.match(req({ user: 'alice' }), NOW + 9).block).toBe(b);
    expect(set.match(req({ user: 'alice' }), NOW + 10).block).toBeUndefined();
    expect(set.prune(NOW + 10)).toBe(1);
    expect(set.size).toBe(0);

    const c = block({ type: 'client_ip', value: '192.0.2.0/24' });
    set.upsert(c, NOW);
    set.upsert({ ...c, ended_at: NOW }, NOW);
    expect(set.size).toBe(0);
    expect(set.match(req({ ip: '192.0.2.1' }), NOW).block).toBeUndefined();
  });

  it('replaces a block with the same id and removes it cleanly', () => {
    const set = new ActiveBlocks();
    const b = block({ type: 'client_ip', value: '192.0.2.0/24' });
    set.upsert(b, NOW);
    set.upsert({ ...b, target: { type: 'client_ip', value: '192.0.3.0/24' } }, NOW);
    expect(set.size).toBe(1);
    expect(set.match(req({ ip: '192.0.2.1' }), NOW).block).toBeUndefined();
    expect(set.match(req({ ip: '192.0.3.1' }), NOW).block?.id).toBe(b.id);
    set.remove(b.id);
    expect(set.match(req({ ip: '192.0.3.1' }), NOW).block).toBeUndefined();
  });

  it('finds the right block among 10,000 (speed is measured by npm run bench:decision)', () => {
    const set = new ActiveBlocks();
    for (let i = 0; i < 10_000; i++) {
      const t = i % 3;
      set.upsert(
        block(
          t === 0
            ? { type: 'session_id', value: `key-${i}` }
            : t === 1
              ? { type: 'user', value: `user-${i}` }
              : { type: 'client_ip', value: `10.${(i >> 8) & 255}.${i & 255}.0/${24 + (i % 9)}` },
        ),
        NOW,
      );
    }
    expect(set.size).toBe(10_000);
    expect(set.match(req({ key: 'key-3' }), NOW).block?.target.value).toBe('key-3');
    expect(set.match(req({ user: 'user-4' }), NOW).block?.target.value).toBe('user-4');
    // i = 2: 10.0.2.0/26; i = 5: 10.0.5.0/29
    expect(set.match(req({ ip: '10.0.2.63' }), NOW).block?.target.value).toBe('10.0.2.0/26');
    expect(set.match(req({ ip: '10.0.2.64' }), NOW).block).toBeUndefined();
    expect(set.match(req({ ip: '10.0.5.7' }), NOW).block?.target.value).toBe('10.0.5.0/29');
    expect(set.match(req({ key: 'key-1', user: 'user-0', ip: '192.0.2.1' }), NOW).block).toBeUndefined();
  });
});
