/**
 * In-process decode cost per span (steadier on a loaded machine than the service run): the same export decoded by
 * the service's hand-written decoder (alone, then with the mapping to records), protobufjs over the official .proto
 * files (decode only — a mapping would come on top), OTLP/JSON through the service's JSON decoder + mapping, and the
 * `/v1/requests` NDJSON of the same requests through `parseItems` (the parse step the NDJSON route does).
 * The variants take turns; the median over rounds of CPU µs per span is printed.
 */
import { parseItems } from '../../backend/src/ingest/body';
import { decodeTracesProto } from '../../backend/src/otlp/decode-proto';
import { decodeTracesJson } from '../../backend/src/otlp/decode-json';
import { mapSpans } from '../../backend/src/otlp/map-spans';
import { wantedAttribute, wantedResourceAttribute } from '../../backend/src/otlp/attributes';
import { DEFAULT_DECODE_LIMITS, type DecodeOptions } from '../../backend/src/otlp/model';
import { decode, types } from '../../backend/test/otlp/reference';

const OPTS: DecodeOptions = {
  attrs: wantedAttribute,
  resourceAttrs: wantedResourceAttribute,
  limits: DEFAULT_DECODE_LIMITS,
};

/** One body per variant, all carrying the same spans. */
export interface DecodeInputs {
  proto: Buffer[];
  ndjson: Buffer[];
  spans: number;
}

/** Median CPU µs per span of each variant over `rounds` rounds. */
export function measureDecode(inputs: DecodeInputs, rounds: number): { name: string; usPerSpan: number }[] {
  const json = inputs.proto.map((b) => Buffer.from(JSON.stringify(decode(types.traceRequest, b))));
  const variants: [string, (i: number) => unknown][] = [
    ['hand-written protobuf decoder alone', (i) => decodeTracesProto(inputs.proto[i], OPTS)],
    [
      'hand-written protobuf decoder + mapping (the service)',
      (i) => mapSpans(decodeTracesProto(inputs.proto[i], OPTS)),
    ],
    ['protobufjs decode (official .proto), no mapping', (i) => types.traceRequest.decode(inputs.proto[i])],
    ['OTLP/JSON decoder + mapping (the service)', (i) => mapSpans(decodeTracesJson(json[i], OPTS))],
    ['/v1/requests NDJSON parse (parseItems)', (i) => parseItems(inputs.ndjson[i], 'ndjson')],
  ];
  const samples = variants.map(() => [] as number[]);
  for (let round = -1; round < rounds; round++) {
    const used = variants.map(() => 0);
    for (let i = 0; i < inputs.proto.length; i++)
      for (let k = 0; k < variants.length; k++) {
        const v = (i + k) % variants.length;
        const cpu = process.cpuUsage();
        variants[v][1](i);
        const d = process.cpuUsage(cpu);
        used[v] += d.user + d.system;
      }
    if (round >= 0) used.forEach((u, v) => samples[v].push(u / inputs.spans));
  }
  return variants.map(([name], v) => ({ name, usPerSpan: median(samples[v]) }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
