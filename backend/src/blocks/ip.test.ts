import { formatRange, parseIp, parseRange, prefixKey, type IpRange } from './ip';

const range = (text: string) => {
  const r = parseRange(text);
  if (typeof r === 'string') throw new Error(`${text}: ${r}`);
  return r;
};

describe('parseIp', () => {
  it('reads IPv4 and IPv6, mapping ::ffff:a.b.c.d to IPv4 and dropping a zone', () => {
    expect(parseIp('203.0.113.7')).toEqual({ family: 4, bytes: Uint8Array.from([203, 0, 113, 7]) });
    expect(parseIp('::ffff:203.0.113.7')).toEqual({ family: 4, bytes: Uint8Array.from([203, 0, 113, 7]) });
    expect(parseIp('::FFFF:cb00:7107')).toEqual({ family: 4, bytes: Uint8Array.from([203, 0, 113, 7]) });
    const v6 = parseIp('2001:db8::1%eth0');
    expect(v6?.family).toBe(6);
    expect(Array.from(v6!.bytes)).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(parseIp('::1')!.bytes)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(Array.from(parseIp('1::')!.bytes)).toEqual([0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('refuses what is not an address', () => {
    for (const bad of ['', '1.2.3', '1.2.3.256', '01.2.3.4', 'abc', '1::2::3', '::g', '1.2.3.4/24', 'x'.repeat(70)]) {
      expect(parseIp(bad)).toBeUndefined();
    }
  });

  it('takes linear time on long hostile input', () => {
    const hostile = ':'.repeat(100_000) + '1';
    const t0 = process.hrtime.bigint();
    expect(parseIp(hostile)).toBeUndefined();
    expect(typeof parseRange(hostile)).toBe('string');
    expect(Number(process.hrtime.bigint() - t0) / 1e6).toBeLessThan(50);
  });
});

describe('parseRange / formatRange', () => {
  it.each([
    ['203.0.113.9/24', '203.0.113.0/24'],
    ['203.0.113.9', '203.0.113.9'],
    ['203.0.113.9/32', '203.0.113.9'],
    ['10.0.0.0/8', '10.0.0.0/8'],
    ['2001:DB8:0:0:1::/32', '2001:db8::/32'],
    ['2001:db8::1/128', '2001:db8::1'],
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['::ffff:203.0.113.0/120', '203.0.113.0/24'],
    ['0.0.0.0/0', '0.0.0.0/0'],
  ])('%s → %s', (input, canonical) => {
    expect(formatRange(range(input))).toBe(canonical);
  });

  it('names the problem', () => {
    expect(parseRange('203.0.113.0/33')).toMatch(/0–32 for IPv4/);
    expect(parseRange('2001:db8::/129')).toMatch(/0–128 for IPv6/);
    expect(parseRange('203.0.113.0/')).toMatch(/prefix length/);
    expect(parseRange('203.0.113.0/2a')).toMatch(/prefix length/);
    expect(parseRange('nope/24')).toMatch(/IPv4 or IPv6/);
  });
});

describe('prefixKey', () => {
  const inRange = (ip: string, r: IpRange) => {
    const a = parseIp(ip)!;
    return a.family === r.family && prefixKey(a.bytes, r.prefix) === prefixKey(r.bytes, r.prefix);
  };

  it('gives every address of a range the range key', () => {
    const r = range('203.0.113.0/24');
    expect(inRange('203.0.113.0', r)).toBe(true);
    expect(inRange('203.0.113.255', r)).toBe(true);
    expect(inRange('203.0.114.0', r)).toBe(false);
    const odd = range('198.51.100.64/26');
    expect(inRange('198.51.100.127', odd)).toBe(true);
    expect(inRange('198.51.100.128', odd)).toBe(false);
    const v6 = range('2001:db8:abcd::/47');
    expect(inRange('2001:db8:abcc:ffff::1', v6)).toBe(true);
    expect(inRange('2001:db8:abce::1', v6)).toBe(false);
    expect(inRange('203.0.113.7', range('0.0.0.0/0'))).toBe(true);
    expect(inRange('255.255.255.255', range('255.255.255.255'))).toBe(true);
  });
});
