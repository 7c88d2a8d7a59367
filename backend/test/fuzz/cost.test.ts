/**
 * Hostile values cost about what ordinary ones do (issue 13): per-record CPU time of the real service (a spawned
 * process, read from /proc) for records whose headers, cookies, user agent and path hold the strings that once made
 * matching super-linear, against ordinary records. Before the fix the Authorization reproducer alone cost ~180×.
 *
 * Robust on a loaded machine: CPU time (not wall time) of the service process only, many records per phase,
 * ordinary and hostile phases interleaved, medians over the rounds.
 */
import { deletePrefix, testClient, uniquePrefix } from '../opensearch';
import { processCpuMicros, spawnService, type ServiceProcess } from '../service-process';
import { TEST_TOKENS, testServiceEnv } from '../service';
import { HOSTILE_VARIANTS, hostileRecord, ordinaryRecord } from './hostile-records';

jest.setTimeout(300_000);

/** The bound of issue 13: a hostile record costs at most 3× an ordinary one. */
const MAX_RATIO = 3;
const RECORDS_PER_PHASE = 1000;
const RECORDS_PER_BODY = 250;
const ROUNDS = 7;

const prefix = uniquePrefix('cost');
let svc: ServiceProcess;

beforeAll(async () => {
  svc = await spawnService(testServiceEnv(prefix, { LOG_LEVEL: 'warn' }));
});
afterAll(async () => {
  await svc?.stop();
  const client = testClient();
  await deletePrefix(client, prefix);
  await client.close();
});

let serial = 0;

/** Posts one phase of records; returns the service's CPU time per record (µs). Every record must be stored. */
async function phase(make: (id: string, i: number) => Record<string, unknown>): Promise<number> {
  const records = Array.from({ length: RECORDS_PER_PHASE }, (_, i) => make(`cost-${serial++}`, i));
  const bodies: string[] = [];
  for (let i = 0; i < records.length; i += RECORDS_PER_BODY)
    bodies.push(JSON.stringify(records.slice(i, i + RECORDS_PER_BODY)));
  const before = processCpuMicros(svc.pid);
  for (const body of bodies) {
    const res = await fetch(`${svc.url}/v1/requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_TOKENS.ingest}` },
      body,
    });
    const answer = (await res.json()) as { accepted: number; rejected: number; errors: unknown[] };
    expect([res.status, answer.accepted, answer.rejected, answer.errors]).toEqual([200, RECORDS_PER_BODY, 0, []]);
  }
  return (processCpuMicros(svc.pid) - before) / RECORDS_PER_PHASE;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

describe('per-record ingest cost', () => {
  it(`stays within ${MAX_RATIO}× of ordinary records with hostile headers and paths`, async () => {
    await phase(ordinaryRecord); // warm-up: JIT, index creation, connections
    await phase(hostileRecord);
    const ordinary: number[] = [];
    const hostile: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Alternate which goes first, so a burst of load from elsewhere hits both alike.
      if (round % 2 === 0) {
        ordinary.push(await phase(ordinaryRecord));
        hostile.push(await phase(hostileRecord));
      } else {
        hostile.push(await phase(hostileRecord));
        ordinary.push(await phase(ordinaryRecord));
      }
    }
    const ratio = median(hostile) / median(ordinary);
    process.stderr.write(
      `[cost] ${HOSTILE_VARIANTS.length} hostile variants; service CPU per record (µs), ${ROUNDS} rounds of ` +
        `${RECORDS_PER_PHASE}: ordinary ${ordinary.map(Math.round).join(' ')} (median ${median(ordinary).toFixed(0)}), ` +
        `hostile ${hostile.map(Math.round).join(' ')} (median ${median(hostile).toFixed(0)}); ratio ${ratio.toFixed(2)}\n`,
    );
    expect(ratio).toBeLessThanOrEqual(MAX_RATIO);
  });
});
