import type { Client } from '@opensearch-project/opensearch';
import { StorageUnavailableError } from '../http/errors';
import type { ScopeKind } from './store';

/**
 * The `<prefix>-specs` index: every uploaded spec version, one document each (`<kind>/<name>/<file>`), so an upload
 * to one service instance reaches every instance. The index decides which upload gets a version's file name (a
 * create that conflicts is retried with the next name); each instance copies the versions it lacks into its
 * SPECS_DIR (store.ts `sync`).
 */

/** One uploaded spec version as stored. */
export interface SpecDoc {
  kind: ScopeKind;
  name: string;
  file: string;
  text: string;
  uploaded_at: number;
}

/** A stored version without its text (what a refresh lists). */
export type SpecRef = Pick<SpecDoc, 'kind' | 'name' | 'file'>;

/** The shared spec history the store reads and writes. */
export interface SpecReplica {
  /** Stores a new version under its file name; false when that name is taken already (another upload won). */
  claim(doc: SpecDoc): Promise<boolean>;
  /** Every stored version (kind, name, file), oldest first; [] before the first upload. */
  list(): Promise<SpecRef[]>;
  /** The text of one stored version. */
  text(ref: SpecRef): Promise<string>;
}

/** Name of the specs index: `<prefix>-specs`. */
export function specsIndex(prefix: string): string {
  return `${prefix}-specs`;
}

/** Document id of a version: `host/api.example.com/3.yaml`. */
export function specDocId(ref: SpecRef): string {
  return `${ref.kind}/${ref.name}/${ref.file}`;
}

const keyword = { type: 'keyword' } as const;
const SPEC_MAPPINGS = {
  dynamic: 'strict',
  properties: {
    kind: keyword,
    name: keyword,
    file: keyword,
    text: { type: 'text', index: false },
    uploaded_at: { type: 'date', format: 'epoch_millis' },
  },
} as const;

/** Most versions one refresh lists (all scopes together). */
const MAX_VERSIONS = 10_000;

/** The spec replica on OpenSearch (`replicas` = INDEX_REPLICAS for the specs index). */
export function createSpecReplica(client: Client, prefix: string, replicas: number): SpecReplica {
  const index = specsIndex(prefix);
  let created = false;
  const ensureIndex = async () => {
    if (created) return;
    const exists = await client.indices.exists({ index });
    if (exists.body !== true) {
      const res = await client.indices.create(
        {
          index,
          body: {
            settings: { number_of_shards: 1, number_of_replicas: replicas },
            mappings: SPEC_MAPPINGS,
          } as never,
        },
        { ignore: [400] },
      );
      const err = (res.body as { error?: { type?: string; reason?: string } }).error;
      if (err && err.type !== 'resource_already_exists_exception')
        throw new Error(`cannot create ${index}: ${err.reason ?? err.type}`);
    }
    created = true;
  };
  return {
    async claim(doc) {
      try {
        await ensureIndex();
        const res = await client.index(
          { index, id: specDocId(doc), op_type: 'create', refresh: 'wait_for', body: doc as never },
          { ignore: [409] },
        );
        return res.statusCode !== 409;
      } catch (err) {
        // Nothing was stored: the upload answers 503 and may be sent again.
        throw new StorageUnavailableError(
          `storage is unavailable: ${(err as Error).message.slice(0, 200)}; retry later`,
        );
      }
    },
    async list() {
      const res = await client.search({
        index,
        ignore_unavailable: true,
        body: {
          size: MAX_VERSIONS,
          _source: ['kind', 'name', 'file'],
          sort: [{ uploaded_at: 'asc' }],
          query: { match_all: {} },
        },
      } as never);
      const hits = (res.body as { hits?: { hits?: { _source?: SpecRef }[] } }).hits?.hits ?? [];
      return hits.flatMap((h) => (h._source ? [h._source] : []));
    },
    async text(ref) {
      const res = await client.get({ index, id: specDocId(ref) });
      return (res.body as unknown as { _source: SpecDoc })._source.text;
    },
  };
}
