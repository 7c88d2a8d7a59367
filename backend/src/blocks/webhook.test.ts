import fixture from '../../test/blocks/fixtures/grafana-webhook-brute-force.json';
import { InputError } from '../http/errors';
import { planWebhookBlocks } from './webhook';

const limits = { defaultMinutes: 60, maxMinutes: 1440 };
const clone = () => JSON.parse(JSON.stringify(fixture)) as typeof fixture;

describe('planWebhookBlocks', () => {
  it('plans one block per firing alert of the brute-force rule and skips the resolved one', () => {
    const plan = planWebhookBlocks(fixture, limits);
    expect(plan.blocks.map((b) => b.input.target)).toEqual([
      { type: 'client_ip', value: '203.0.113.66' },
      { type: 'client_ip', value: '2001:db8:4c::17' },
    ]);
    expect(plan.blocks[0].input).toMatchObject({
      reason:
        'alert "Brute force on login endpoints": Sessions from 203.0.113.66 with at least 10 failed logins (401/403 on *login*) within one minute',
      expiresInMinutes: 60,
      mode: 'block',
    });
    expect(plan.blocks[0].alert).toEqual({
      fingerprint: '5b3c2f0a9e1d7c46',
      rule: 'Brute force on login endpoints',
      starts_at: Date.parse('2026-01-10T12:04:00Z'),
    });
    expect(plan.blocks[0].id).toMatch(/^alert_[0-9a-f]{40}$/);
    expect(plan.skipped).toEqual([
      {
        fingerprint: '0c9d4e7f12ab3365',
        alertname: 'Brute force on login endpoints',
        reason: 'alert is resolved: only firing alerts create blocks',
      },
    ]);
  });

  it('gives a re-delivery the same ids and a new episode (startsAt) new ones', () => {
    const again = planWebhookBlocks(clone(), limits);
    expect(again.blocks.map((b) => b.id)).toEqual(planWebhookBlocks(fixture, limits).blocks.map((b) => b.id));
    const later = clone();
    later.alerts[0].startsAt = '2026-01-10T15:00:00Z';
    expect(planWebhookBlocks(later, limits).blocks[0].id).not.toBe(again.blocks[0].id);
  });

  it('reads session_id and user labels, tuning labels, and names what it cannot use', () => {
    const p = clone();
    const sid = 'AB'.repeat(32);
    p.alerts[0].labels = {
      alertname: 'x',
      session_id: sid,
      user: 'alice',
      block_minutes: '15',
      block_mode: 'monitor',
      block_host: 'API.example.com',
    } as never;
    p.alerts[1].labels = { alertname: 'y', host: 'api.example.com' } as never;
    p.alerts[2] = { ...p.alerts[0], status: 'firing', labels: { alertname: 'z', client_ip: '10.0.0.0/4' } } as never;
    const plan = planWebhookBlocks(p, limits);
    expect(plan.blocks.map((b) => b.input)).toEqual([
      expect.objectContaining({
        target: { type: 'session_id', value: sid.toLowerCase() },
        expiresInMinutes: 15,
        mode: 'monitor',
        host: 'api.example.com',
      }),
      expect.objectContaining({ target: { type: 'user', value: 'alice' }, expiresInMinutes: 15, mode: 'monitor' }),
    ]);
    expect(plan.skipped.map((s) => s.reason)).toEqual([
      'no session_id, client_ip or user label',
      'label client_ip: a range wider than /8',
    ]);
    const tooLong = clone();
    (tooLong.alerts[0].labels as Record<string, string>).block_minutes = '99999';
    expect(planWebhookBlocks(tooLong, limits).skipped[0].reason).toMatch(/block_minutes/);
  });

  it('refuses what is not a webhook payload, naming the field', () => {
    for (const body of [null, {}, { alerts: 'x' }, { alerts: [{ labels: {} }] }]) {
      try {
        planWebhookBlocks(body, limits);
        throw new Error('expected InputError');
      } catch (err) {
        expect(err).toBeInstanceOf(InputError);
        expect((err as InputError).code).toBe('invalid_webhook');
      }
    }
  });
});
