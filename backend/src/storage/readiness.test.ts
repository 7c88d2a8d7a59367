import { cachedProbe } from './readiness';

describe('cachedProbe', () => {
  it('runs the check at most once per window and once at a time', async () => {
    let t = 0;
    let calls = 0;
    let answer = true;
    const probe = cachedProbe(
      async () => {
        calls++;
        return answer;
      },
      1000,
      () => t,
    );
    expect(await Promise.all([probe(), probe(), probe()])).toEqual([true, true, true]);
    expect(calls).toBe(1);
    answer = false;
    t = 999;
    expect(await probe()).toBe(true); // still the cached answer
    t = 1000;
    expect(await probe()).toBe(false);
    expect(calls).toBe(2);
  });
  it('counts a check that throws as not ready', async () => {
    const probe = cachedProbe(() => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9200')), 0);
    expect(await probe()).toBe(false);
  });
});
