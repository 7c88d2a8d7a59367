import { AuthFailureLimiter } from './auth-limiter';
import type { Request } from 'express';
import { bearerToken, requireToken, TokenSet } from './auth';

describe('tokens', () => {
  it('reads bearer tokens strictly', () => {
    expect(bearerToken('Bearer abc')).toBe('abc');
    expect(bearerToken('bearer  abc ')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
  it('matches only listed tokens, whatever their length', () => {
    const set = new TokenSet(['first-token-0123456789', 'second-token-0123456789']);
    expect(set.has('second-token-0123456789')).toBe(true);
    expect(set.has('second-token-012345678')).toBe(false);
    expect(set.has('')).toBe(false);
    expect(set.has('x'.repeat(10_000))).toBe(false);
  });
});

describe('failed-authentication limiter', () => {
  it('blocks an IP after too many failures within the window, then lets it try again', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter(3, 60_000, 100, () => now);
    for (let i = 0; i < 3; i++) limiter.fail('1.1.1.1');
    expect(limiter.blockedFor('1.1.1.1')).toBe(60);
    expect(limiter.blockedFor('2.2.2.2')).toBe(0);
    now = 30_000;
    expect(limiter.blockedFor('1.1.1.1')).toBe(30);
    now = 60_001;
    expect(limiter.blockedFor('1.1.1.1')).toBe(0);
  });
  it('keeps memory bounded', () => {
    const limiter = new AuthFailureLimiter(1, 60_000, 10, () => 0);
    for (let i = 0; i < 1000; i++) limiter.fail(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.blockedFor('10.0.0.0')).toBe(0); // evicted
    expect(limiter.blockedFor('10.0.3.231')).toBe(60);
  });
});

describe('requireToken with the limiter', () => {
  const ingest = new TokenSet(['ingest-token-0123456789']);
  const run = (limiter: AuthFailureLimiter, authorization?: string) => {
    let outcome: unknown = 'next';
    const req = { headers: { authorization }, ip: '10.0.0.1', socket: {} } as unknown as Request;
    requireToken({ ingest }, limiter)(req, {} as never, (err?: unknown) => {
      outcome = err === undefined ? 'next' : (err as { status: number }).status;
    });
    return outcome;
  };
  it('answers 401 and counts, then 429 for a blocked client, but lets a valid token through', () => {
    const limiter = new AuthFailureLimiter(3, 60_000, 100, () => 0);
    expect([1, 2, 3].map(() => run(limiter, 'Bearer wrong-token-0123456789'))).toEqual([401, 401, 401]);
    expect(run(limiter, 'Bearer wrong-token-0123456789')).toBe(429);
    expect(run(limiter)).toBe(429);
    expect(run(limiter, 'Bearer ingest-token-0123456789')).toBe('next');
  });
});
