/**
 * HTTP server spans → request records (pure). A span is a request when it is a SERVER span with an HTTP method,
 * or (kind unspecified or internal, as some proxies send) carries a method and a request path. Client, producer and
 * consumer spans, and server spans of other protocols (gRPC, messaging), are ignored: they are not rejections.
 */
import { buildRecord, hasHttpMethod, hasRequestTarget } from './record';
import { nsToMs, type MappedExport, type OtlpSpan, type ResourceGroup } from './model';

const SPAN_KIND = { UNSPECIFIED: 0, INTERNAL: 1, SERVER: 2 } as const;

/** True when the span records an HTTP request served. */
export function isHttpServerSpan(span: OtlpSpan): boolean {
  const sources = [span.attrs];
  if (span.kind === SPAN_KIND.SERVER) return hasHttpMethod(sources);
  if (span.kind === SPAN_KIND.UNSPECIFIED || span.kind === SPAN_KIND.INTERNAL)
    return hasHttpMethod(sources) && hasRequestTarget(sources);
  return false;
}

/**
 * Maps one decoded export. Record id = `<trace id>-<span id>`, so a resent export is stored once (the trace id
 * keeps equal span ids of different traces apart); `ts` = span start (ms); `duration_ms` = end − start.
 * @example mapSpans([{index:0, resource:{'service.name':'shop'}, items:[serverSpan, clientSpan]}])
 *   → { items: [{index:0, value:{id:'4bf9…-00f0…', ts, method:'GET', …, app:'shop'}}], ignored: 1, total: 2 }
 */
export function mapSpans(groups: ResourceGroup<OtlpSpan>[]): MappedExport {
  const out: MappedExport = { items: [], origins: [], ignored: 0, total: 0 };
  for (const g of groups)
    for (const span of g.items) {
      out.total++;
      if (!isHttpServerSpan(span)) {
        out.ignored++;
        continue;
      }
      const record = buildRecord([span.attrs], g.resource);
      if (span.traceId.length === 32 && span.spanId.length === 16) record.id = `${span.traceId}-${span.spanId}`;
      if (span.startNs > 0) record.ts = nsToMs(span.startNs);
      if (span.durationNs !== undefined && span.durationNs >= 0)
        record.duration_ms = Math.round(span.durationNs / 1e3) / 1e3;
      out.origins.push({
        path: `resourceSpans[${g.index}].scopeSpans[${span.scope}].spans[${span.index}]`,
        ref: span.spanId ? `span ${span.spanId}` : 'span without id',
      });
      out.items.push({ index: out.items.length, value: record });
    }
  return out;
}
