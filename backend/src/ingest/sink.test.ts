import { classifyBulkItem, encodeBulkBody, statusOf } from './sink';
import type { PreparedRecord } from './records';

describe('bulk writer helpers', () => {
  it('sorts bulk items: stored, duplicate, retryable (also a missing item), denied, rejected for good', () => {
    expect(classifyBulkItem({ status: 201 }, 0)).toBe('stored');
    expect(classifyBulkItem({ status: 409 }, 0)).toBe('duplicate');
    expect(classifyBulkItem({ status: 429 }, 0)).toBe('retry');
    expect(classifyBulkItem({ status: 503 }, 0)).toBe('retry');
    expect(classifyBulkItem(undefined, 0)).toBe('retry');
    // The service's role or credentials, not the record: kept, never rejected as invalid.
    expect(classifyBulkItem({ status: 403, error: { type: 'security_exception' } }, 0)).toBe('denied');
    expect(classifyBulkItem({ status: 401 }, 0)).toBe('denied');
    expect(
      classifyBulkItem({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse' } }, 7),
    ).toEqual({
      index: 7,
      field: '(record)',
      message: 'storage rejected the record: mapper_parsing_exception: failed to parse',
    });
  });

  it('encodes the _bulk body line by line, non-ASCII included', () => {
    const docs = [
      { index: 0, doc: { id: 'a', ts: Date.UTC(2026, 0, 2), path: '/\u2028é' } },
      { index: 1, doc: { id: 'b', ts: Date.UTC(2026, 0, 3), path: '/x' } },
    ] as unknown as PreparedRecord[];
    const lines = encodeBulkBody('p', docs).toString('utf8').split('\n');
    expect(lines.map((l) => (l ? JSON.parse(l) : l))).toEqual([
      { create: { _index: 'p-requests-2026.01.02', _id: 'a' } },
      docs[0].doc,
      { create: { _index: 'p-requests-2026.01.03', _id: 'b' } },
      docs[1].doc,
      '',
    ]);
  });

  it('tells a transport error (statusCode null or absent) from an answered one', () => {
    expect(statusOf({ meta: { statusCode: null } })).toBeUndefined();
    expect(statusOf(new Error('socket hang up'))).toBeUndefined();
    expect(statusOf({ meta: { statusCode: 503 } })).toBe(503);
  });
});
