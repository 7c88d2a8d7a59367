import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import { ConfigError, loadConfig, type Config } from './config';
import { createLogger, type Logger } from './logger';
import { createOpenSearchClient, type Client } from './storage/client';
import { loadSessionRules } from './session/rules';
import { createApp } from './app';
import { IngestCounters } from './ingest/counters';
import { applyIsmPolicyIfAvailable, deleteExpiredIndices } from './storage/retention';
import { installTemplate } from './storage/template';
import { Spool } from './ingest/spool';
import { createSpecStore, logSpecLoad } from './inventory/store';
import { addInventoryFieldsToIndices } from './inventory/index-upgrade';
import { withDecisionFastPath } from './blocks';

/** Composition root: config → logger → OpenSearch client → app → listen; retention timer; graceful stop. */
async function main(): Promise<void> {
  let config: Config;
  let rules;
  let specs;
  try {
    config = loadConfig();
    rules = loadSessionRules(config.sessionConfigPath);
    specs = createSpecStore(config);
  } catch (err) {
    refuseToStart(err instanceof ConfigError || err instanceof Error ? err.message : String(err));
  }
  const logger = createLogger(config.logLevel);
  logSpecLoad(specs, logger);
  if (config.devMode)
    logger.warn('DEV_MODE is on: published placeholder secrets (*-change-me) are accepted; never in production');
  let client: Client;
  try {
    client = createOpenSearchClient(config);
  } catch (err) {
    refuseToStart(
      `OPENSEARCH_CA_FILE/OPENSEARCH_CERT_FILE/OPENSEARCH_KEY_FILE: cannot use them: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const counters = new IngestCounters();
  const spool = config.spool ? await Spool.open(config.spool.dir, config.spool.maxBytes) : undefined;
  if (spool) logger.info({ dir: spool.dir, pendingBytes: spool.pendingBytes }, 'spool enabled');
  const app = createApp({ config, client, logger, rules, counters, spool, specs });
  // Authenticated decisions (GET /v1/decision) are served before Express: blocks/decision-route.ts.
  const listener = withDecisionFastPath(app);
  const server = config.tls ? createTlsServer(config.tls, listener) : createHttpServer(listener);
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((err: Error) => {
    logger.fatal({ err: err.message }, 'cannot listen');
    process.exit(1);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  logger.info(
    {
      url: `${config.tls ? 'https' : 'http'}://${config.host}:${port}`,
      opensearch: config.opensearch.urls.map((u) => new URL(u).origin), // without credentials
      indexPrefix: config.indexPrefix,
      retentionDays: config.retentionDays,
    },
    'api-sessions service started',
  );

  void prepareStorage(client, config, logger);
  const retention = setInterval(() => void runRetention(client, config, logger), config.retentionIntervalMs);
  const stats = setInterval(() => {
    const c = counters.drain();
    if (c.accepted + c.rejected > 0) logger.info({ ingest: c }, 'ingest totals (last minute)');
  }, 60_000);
  retention.unref();
  stats.unref();
  installShutdown(server, client, logger, [retention, stats], app.locals.stopBlocks as () => Promise<void>);
}

/** Exits with code 2 and one line naming the variables: the start-up refusals of docs/configuration.md. */
function refuseToStart(message: string): never {
  process.stderr.write(`api-sessions: refusing to start: ${message}\nSee docs/configuration.md.\n`);
  process.exit(2);
}

/**
 * The HTTPS server of TLS_CERT_FILE / TLS_KEY_FILE. Both files were read by loadConfig; a key that does not match
 * the certificate (or PEM Node cannot parse) is refused here with exit code 2, not a stack trace.
 */
function createTlsServer(tls: NonNullable<Config['tls']>, listener: Parameters<typeof createHttpServer>[1]): Server {
  try {
    return createHttpsServer({ cert: readFileSync(tls.certFile), key: readFileSync(tls.keyFile) }, listener);
  } catch (err) {
    refuseToStart(
      `TLS_CERT_FILE/TLS_KEY_FILE: cannot use ${tls.certFile} and ${tls.keyFile}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Installs the template (retrying while OpenSearch is down), applies ISM when present, runs retention once. */
async function prepareStorage(client: Client, config: Config, logger: Logger): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await installTemplate(client, config);
      break;
    } catch (err) {
      if (attempt === 1 || attempt % 10 === 0)
        logger.warn(
          { attempt, err: (err as Error).message },
          'OpenSearch not reachable yet; retrying template install',
        );
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
    }
  }
  logger.info({ template: `${config.indexPrefix}-requests` }, 'index template installed');
  await addInventoryFieldsToIndices(client, config.indexPrefix).catch((err: Error) =>
    logger.warn({ err: err.message }, 'could not add the inventory fields to existing indices'),
  );
  try {
    const ism = await applyIsmPolicyIfAvailable(client, config.indexPrefix, config.retentionDays);
    logger.info(
      { ism, retentionDays: config.retentionDays },
      ism === 'absent'
        ? 'ISM plugin not present; the service deletes expired indices itself'
        : `ISM retention policy ${ism}`,
    );
  } catch (err) {
    logger.warn(
      { err: (err as Error).message },
      'could not apply the ISM policy; the service deletes expired indices itself',
    );
  }
  await runRetention(client, config, logger);
}

async function runRetention(client: Client, config: Config, logger: Logger): Promise<void> {
  try {
    const deleted = await deleteExpiredIndices(client, config.indexPrefix, Date.now(), config.retentionDays);
    if (deleted.length > 0) logger.info({ deleted }, 'deleted indices past retention');
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'retention run failed; will retry');
  }
}

/**
 * SIGINT/SIGTERM: stop taking connections, finish in-flight requests, write what is still held (the blocks' hit
 * counts, `stopBlocks`), close the OpenSearch client and exit 0; exit 1 when that takes more than 15 s.
 */
function installShutdown(
  server: Server,
  client: Client,
  logger: Logger,
  timers: NodeJS.Timeout[],
  stopBlocks: () => Promise<void>,
): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: finishing in-flight requests');
    timers.forEach(clearInterval);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    server.close(() => {
      void stopBlocks()
        .then(() => client.close())
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
    server.closeIdleConnections();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
