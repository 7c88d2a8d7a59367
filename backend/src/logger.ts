import pino from 'pino';

/** Paths redacted from every log line, so tokens and identifiers never reach logs even by accident. */
const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'token',
  'identifiers',
  '*.identifiers',
  '*.token',
  '*.authorization',
  '*.cookie',
  // OpenSearch credentials (config.opensearch), should an object holding them ever be logged.
  'password',
  '*.password',
  'apiKey',
  '*.apiKey',
];

/** Narrow logger surface used across the service. */
export type Logger = pino.Logger;

/** Creates the structured (JSON) logger. `destination` lets tests capture the output. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, base: { service: 'api-sessions' }, redact: { paths: REDACT_PATHS, censor: '[redacted]' } },
    destination,
  );
}
