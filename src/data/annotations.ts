import type { AnnotationEvent, DataFrame } from '@grafana/data';
import type { ApiSessionsQuery } from '../types';

/** The annotation query a new annotation starts with: sessions that contain attacks, most attacks first. */
export const DEFAULT_ANNOTATION_QUERY: Partial<ApiSessionsQuery> = {
  queryType: 'sessions',
  attacked: true,
  sort: 'attacks',
  limit: 100,
};

type Row = (name: string) => unknown;

/** Returns a list value as strings: arrays as they are, comma-separated strings split, anything else empty. */
function toList(value: unknown): string[] {
  if (Array.isArray(value)) {
    return value.map(String).filter(Boolean);
  }
  if (typeof value === 'string' && value !== '') {
    return value
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }
  return [];
}

function toNumber(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') {
    return undefined;
  }
  const n = typeof value === 'string' && !/^\d+$/.test(value) ? Date.parse(value) : Number(value);
  return Number.isNaN(n) ? undefined : n;
}

/** One session part → a region from its start to its end, tagged with its attack types. */
function sessionEvent(row: Row): AnnotationEvent | undefined {
  const time = toNumber(row('start'));
  if (time === undefined) {
    return undefined;
  }
  const timeEnd = toNumber(row('end')) ?? time;
  const attackTypes = toList(row('attack_types'));
  const blocked = Number(row('blocked') ?? 0);
  const who = [row('user'), toList(row('client_ips')).join(', ')].filter(Boolean).join(' · ');
  const text = [
    `${row('requests') ?? '?'} requests, ${row('attacks') ?? 0} attacks${attackTypes.length ? ` (${attackTypes.join(', ')})` : ''}`,
    blocked > 0 ? `${blocked} blocked` : '',
    who,
  ].filter(Boolean);
  return {
    time,
    timeEnd,
    isRegion: timeEnd > time,
    title: `Session ${row('session_id') ?? ''}`.trim(),
    text: text.join('\n'),
    tags: [...attackTypes, ...(blocked > 0 ? ['blocked'] : [])],
  };
}

/** One request → a point event "METHOD endpoint → status". */
function requestEvent(row: Row): AnnotationEvent | undefined {
  const time = toNumber(row('time'));
  if (time === undefined) {
    return undefined;
  }
  const attackTypes = toList(row('attack_types') ?? row('attacks'));
  const blocked = row('blocked') === true || row('blocked') === 'true';
  return {
    time,
    title: `${row('method') ?? ''} ${row('endpoint') ?? row('path') ?? ''} → ${row('status') ?? ''}`.trim(),
    text: [row('client_ip'), row('user'), row('session_id') ? `session ${row('session_id')}` : '']
      .filter(Boolean)
      .join(' · '),
    tags: [...attackTypes, ...(blocked ? ['blocked'] : [])],
  };
}

/**
 * Returns annotation events for the frames of a `sessions` query (regions) or a `requests`/`timeline` table query
 * (points). Frames of other shapes are ignored.
 */
export function framesToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const names = new Set(frame.fields.map((f) => f.name));
    const isSessions = names.has('start') && names.has('session_id');
    // Request rows have a time and a method or endpoint; numeric time series (patterns, performance) do not.
    const isRequests = names.has('time') && (names.has('method') || names.has('endpoint'));
    const toEvent = isSessions ? sessionEvent : isRequests ? requestEvent : undefined;
    if (!toEvent) {
      continue;
    }
    for (let i = 0; i < frame.length; i++) {
      const row: Row = (name) => frame.fields.find((f) => f.name === name)?.values[i];
      const event = toEvent(row);
      if (event) {
        events.push(event);
      }
    }
  }
  return events;
}
