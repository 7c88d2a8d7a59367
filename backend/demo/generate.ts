/**
 * Deterministic demo traffic: request metadata as a set of nodes (WAF / API gateway) would report it to
 * `POST /v1/requests` (see "External contract v1" in DESIGN.md).
 *
 * Pure: no Math.random, no Date.now. The same `{ seed, now, hours }` always gives the same records (ids included),
 * so posting the same demo twice stores it once (the service writes with op_type=create on `id`).
 *
 * Actors (see ACTORS): browsing shop users with PHPSESSID/JSESSIONID cookies (one with a > 30 min break, one
 * crossing UTC midnight when the window spans it), anonymous shop visitors, a JWT-authenticated reporting client,
 * login flows whose response token is reused in later requests, a partner with an API key (header and query),
 * a credential brute force on POST /api/v1/login, a vulnerability scanner (sqlmap, IPv6) probing hundreds of
 * endpoints, a slow reports endpoint, a scraper bot, a mobile backend that sends a node-computed session_id, and card
 * testers who post checkouts without a cart (a skipped step; every other checkout follows POST /api/cart/items).
 *
 * Every identifier value (cookies, tokens, API keys) is a random-looking secret: the service must never store them.
 */

import { anonymousVisitors, bot, browsingUsers } from './actors/shop';
import { jwtClient, loginFlows, mobile, partner, slowReportUsers } from './actors/api';
import { bruteForce, cardTesting, scanner } from './actors/attacks';
import { Builder, NODES } from './builder';
import { ACTORS, HOUR, type Actor, type DemoOptions, type DemoRecord, type TaggedRecord } from './model';
import { Rng } from './rng';

export * from './model';
export { mulberry32 } from './rng';

/** Generates the demo records with the actor that produced each one, sorted by time. */
export function generateDemoTagged(opts: DemoOptions): TaggedRecord[] {
  const seed = opts.seed ?? 42;
  const hours = opts.hours ?? 6;
  if (!Number.isFinite(opts.now)) throw new Error('generateDemo: `now` (epoch ms) is required');
  if (!(hours > 0)) throw new Error('generateDemo: `hours` must be > 0');
  const end = Math.floor(opts.now);
  const start = end - Math.round(hours * HOUR);
  const rng = new Rng(seed);
  const b = new Builder(rng, start, end);
  const nodeOf = () => rng.pick(NODES);

  browsingUsers(b, nodeOf);
  anonymousVisitors(b, nodeOf);
  jwtClient(b, nodeOf);
  slowReportUsers(b, nodeOf);
  loginFlows(b, nodeOf);
  partner(b, nodeOf);
  bruteForce(b, nodeOf);
  scanner(b, nodeOf);
  bot(b, nodeOf);
  mobile(b, nodeOf);
  cardTesting(b, nodeOf);

  const tagged = b.out
    .map((r, i) => ({ r, i }))
    .sort((x, y) => x.r.record.ts - y.r.record.ts || x.i - y.i)
    .map(({ r }) => r);
  // Ids: deterministic for (seed, now), unique within the run, different for another `now` (a later demo run adds
  // new data instead of being deduplicated away).
  const idRng = new Rng((seed ^ Math.floor(end / 1000)) >>> 0);
  const runTag = idRng.hex(8);
  tagged.forEach(({ record }, i) => {
    record.id = `demo-${runTag}-${i.toString(36).padStart(5, '0')}-${idRng.hex(6)}`;
  });
  return tagged;
}

/** Generates the demo records (see module comment), sorted by time. */
export function generateDemo(opts: DemoOptions): DemoRecord[] {
  return generateDemoTagged(opts).map((t) => t.record);
}

/** Number of records per actor. */
export function countByActor(tagged: readonly TaggedRecord[]): Record<Actor, number> {
  const counts = Object.fromEntries(ACTORS.map((a) => [a, 0])) as Record<Actor, number>;
  for (const t of tagged) counts[t.actor]++;
  return counts;
}
