/**
 * The shipper configurations in docs/integrations/ against the record contract:
 * - nginx: the documented sample lines → the importer's parser → the documented records, which recordSchema accepts;
 * - Vector: the VRL reads every nginx key and writes every record field of the mapping, and — run by the real VRL
 *   runtime (PyPI `pyvrl`, installed by `npm test`) — turns the sample lines into the documented records;
 * - Fluent Bit: the Lua filter, run by a Lua interpreter, yields the documented records (lua5.1, installed by `npm test`);
 * - Envoy: every json_format key is a record field and the sample lines pass recordSchema;
 * - WAF verdicts: the sample records pass recordSchema.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { recordSchema } from '../../src/ingest/schema';
import { NGINX_JSON_KEYS, parseNginxJson } from '../../import/parse-nginx-json';

const DOCS = join(__dirname, '../../../docs/integrations');
const read = (name: string) => readFileSync(join(DOCS, name), 'utf8');
const ndjson = (name: string) =>
  read(name)
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l));
const sampleLines = () =>
  read('samples/nginx-json.log')
    .split('\n')
    .filter((l) => l.trim());
const expected = () => ndjson('samples/nginx-json.records.ndjson');

function expectValid(records: unknown[]) {
  for (const r of records) {
    const res = recordSchema.safeParse(r);
    expect(res.success ? 'valid' : res.error.issues).toBe('valid');
  }
}

describe('nginx log_format', () => {
  it('the format in nginx.md is the one the samples were written with (same keys, in order)', () => {
    const doc = read('nginx.md');
    const format = /log_format api_sessions escape=json\n([\s\S]*?);\n/.exec(doc)![1];
    const json = format
      .split('\n')
      .map((l) => l.trim().replace(/^'|'$/g, ''))
      .join('');
    const keysOf = (s: string) => [...s.matchAll(/"([A-Za-z_-]+)":/g)].map((m) => m[1]);
    expect(keysOf(json)).toEqual(keysOf(sampleLines()[0]));
    // Every value is a quoted nginx variable.
    expect(json.replace(/"[A-Za-z_-]+":("\$[a-z_A-Z0-9]+"|\{)/g, '').replace(/[{},]/g, '')).toBe('');
  });

  it('its sample lines become the documented records, which the service accepts', () => {
    const records = sampleLines()
      .map(parseNginxJson)
      .flatMap((r) => (r.ok ? [r.record] : []));
    expect(records).toEqual(expected());
    expectValid(records);
  });
});

describe('Vector (vector.toml)', () => {
  const toml = read('vector.toml');
  const vrl = /source = '''\n([\s\S]*?)'''/.exec(toml)![1];

  it('reads every nginx key the importer reads (primary names) and writes every field of the sample records', () => {
    for (const keys of Object.values(NGINX_JSON_KEYS)) {
      if (keys[0] === 'app') continue; // a literal the user may add; not in the documented format
      expect(vrl).toContain(`n.${keys[0]}`);
    }
    expect(vrl).toContain('n.headers');
    expect(vrl).toContain('n.cookies');
    const written = new Set([...vrl.matchAll(/"([a-z_]+)":/g)].map((m) => m[1]));
    written.add('duration_ms'); // set after compact
    for (const r of expected()) for (const field of Object.keys(r)) expect(written).toContain(field);
  });

  // The real VRL compiler and runtime (PyPI `pyvrl`); VRL_PYTHON names a Python that has it (default python3).
  const python = process.env.VRL_PYTHON ?? 'python3';
  const hasVrl = spawnSync(python, ['-c', 'import pyvrl']).status === 0;
  // `npm test` installs pyvrl (scripts/lib.sh); a missing runtime fails instead of skipping.
  it('the remap turns the sample lines into the documented records (pyvrl)', () => {
    if (!hasVrl) throw new Error(`pyvrl is not installed for ${python}: python3 -m pip install pyvrl`);
    const res = spawnSync(
      python,
      [join(__dirname, 'run-vrl.py'), join(DOCS, 'vector.toml'), join(DOCS, 'samples/nginx-json.log')],
      {
        encoding: 'utf8',
      },
    );
    expect(res.stderr).toBe('');
    const out = res.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out[2]).toBe('ABORT');
    expect(out.slice(0, 2)).toEqual(expected());
    expectValid(out.slice(0, 2));
  });

  it('posts NDJSON, gzip, with a bearer token, in batches, to /v1/requests', () => {
    for (const line of [
      'type = "http"',
      'framing.method = "newline_delimited"',
      'encoding.codec = "json"',
      'request.headers.Content-Type = "application/x-ndjson"',
      'compression = "gzip"',
      'auth.strategy = "bearer"',
      'auth.token = "${INGEST_TOKEN}"',
      'batch.max_events = 1000',
    ]) {
      expect(toml).toContain(line);
    }
    expect(toml).toMatch(/uri = ".*\/v1\/requests"/);
  });
});

const LUA = ['lua5.1', 'luajit', 'lua5.4', 'lua5.3', 'lua'].find((bin) => spawnSync(bin, ['-v']).status === 0);

/** A Lua table constructor for a JSON value. */
function toLua(v: unknown): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return JSON.stringify(v).replace(/\\u([0-9a-f]{4})/gi, (_m, h) => `\\${parseInt(h, 16)}`);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v)) return `{${v.map(toLua).join(',')}}`;
  return `{${Object.entries(v as object)
    .map(([k, x]) => `[${toLua(k)}]=${toLua(x)}`)
    .join(',')}}`;
}

const LUA_HARNESS = `
local function enc(v)
  local t = type(v)
  if t == "table" then
    local parts = {}
    for k, x in pairs(v) do parts[#parts + 1] = string.format("%q", k) .. ":" .. enc(x) end
    table.sort(parts)
    return "{" .. table.concat(parts, ",") .. "}"
  elseif t == "string" then
    return (string.format("%q", v):gsub("\\\\\\n", "\\\\n"))
  elseif t == "number" then
    if v == math.floor(v) then return string.format("%d", v) end
    return string.format("%.17g", v)
  end
  return tostring(v)
end
for _, rec in ipairs(INPUT) do
  local code, ts, out = to_record("nginx.api_sessions", 0, rec)
  if code == -1 then print("DROP") else print(enc(out)) end
end
`;

describe('Fluent Bit (fluent-bit-api-sessions.lua)', () => {
  it('maps the sample lines to the documented records (Lua)', () => {
    if (!LUA) throw new Error('no Lua interpreter: apt-get install lua5.1');
    const input = `INPUT = {${sampleLines()
      .map((l) => toLua(JSON.parse(l)))
      .join(',\n')}}\n`;
    const program = `${read('fluent-bit-api-sessions.lua')}\n${input}${LUA_HARNESS}`;
    const res = spawnSync(LUA!, ['-'], { input: program, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    const out = res.stdout.trim().split('\n');
    expect(out[2]).toBe('DROP');
    expect(out.slice(0, 2).map((l) => JSON.parse(l))).toEqual(expected());
  });

  it('is wired in fluent-bit.conf: json parser, lua filter, http output with NDJSON, gzip and the token', () => {
    const conf = read('fluent-bit.conf');
    expect(conf).toMatch(/Parser\s+nginx_api_sessions/);
    expect(read('fluent-bit-parsers.conf')).toMatch(/Name\s+nginx_api_sessions\s+Format\s+json/);
    expect(conf).toMatch(/script\s+fluent-bit-api-sessions\.lua\s+call\s+to_record/);
    for (const re of [
      /URI\s+\/v1\/requests/,
      /Format\s+json_lines/,
      /Compress\s+gzip/,
      /Header\s+Authorization Bearer \$\{INGEST_TOKEN\}/,
    ]) {
      expect(conf).toMatch(re);
    }
  });
});

describe('Envoy (envoy-access-log.yaml)', () => {
  it('every json_format key is a record field; values are command operators', () => {
    const cfg = YAML.parse(read('envoy-access-log.yaml'));
    const format = cfg.access_log[0].typed_config.log_format;
    expect(format.omit_empty_values).toBe(true);
    const fields = Object.keys(recordSchema.shape);
    for (const [key, value] of Object.entries(format.json_format as Record<string, unknown>)) {
      expect(fields).toContain(key);
      if (key === 'identifiers') {
        for (const [where, map] of Object.entries(value as Record<string, Record<string, string>>)) {
          expect(['headers', 'cookies', 'query', 'response']).toContain(where);
          for (const op of Object.values(map)) expect(op).toMatch(/^%(REQ|RESP)\([A-Z0-9-]+\)%$/);
        }
      } else {
        expect(value).toMatch(/^%[A-Z_]+(\([^)]*\))?%$/);
      }
    }
  });

  it('its sample lines pass the record schema', () => {
    expectValid(ndjson('samples/envoy.ndjson'));
  });
});

describe('WAF verdicts', () => {
  it('the sample records pass the record schema and use attacks, blocked and bot', () => {
    const records = ndjson('samples/waf-verdicts.ndjson');
    expectValid(records);
    expect(records.some((r) => r.attacks?.some((a: { blocked?: boolean }) => a.blocked))).toBe(true);
    expect(records.some((r) => r.blocked === true && !r.attacks)).toBe(true);
    expect(records.every((r) => r.bot === undefined || (r.bot.score >= 0 && r.bot.score <= 1))).toBe(true);
  });
});
