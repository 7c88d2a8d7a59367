import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { detectFormat } from './detect-format';

describe('detectFormat', () => {
  it.each([
    ['127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.0" 200 2326 "-" "ua"', 'combined'],
    ['::1 - - [10/Oct/2000:13:55:36 -0700] "-" 400 0 "-" "-"', 'combined'],
    ['h.example:443 192.0.2.1 - - [10/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1 "-" "-"', 'combined'],
    ['192.0.2.1 - - [32/Oct/2000:13:55:36 -0700] "GET / HTTP/1.1" 200 1', 'combined'],
    ['{"msec":"1795852689.173","remote_addr":"::1"}', 'nginx-json'],
    ['  {"ts":1,"host":"h","path":"/","client_ip":"::1"}  ', 'ndjson'],
  ])('%s → %s', (line, format) => {
    expect(detectFormat(line)).toBe(format);
  });

  it('recognises the documented nginx sample', () => {
    const first = readFileSync(join(__dirname, '../../docs/integrations/samples/nginx-json.log'), 'utf8').split(
      '\n',
    )[0];
    expect(detectFormat(first)).toBe('nginx-json');
  });

  it.each(['', '   ', 'hello world', '{"a":1}', '{broken', '[1,2]', 'null', '2026-11-28 07:00:00 GET /'])(
    'does not recognise %j',
    (line) => {
      expect(detectFormat(line)).toBeUndefined();
    },
  );
});
