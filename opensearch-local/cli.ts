/**
 * `npm run opensearch`: a local OpenSearch 2.19.6 node in the foreground until Ctrl-C / SIGTERM.
 * Env: OPENSEARCH_PORT (default 9200), OPENSEARCH_DATA_DIR (default <repo>/.data/opensearch).
 */
import * as path from 'node:path';
import {
  DEFAULT_DATA_DIR,
  OPENSEARCH_VERSION,
  isPortOpen,
  probeOpenSearch,
  startOpenSearch,
  type OpenSearchHandle,
} from './runner';

async function main(): Promise<number> {
  const portText = process.env.OPENSEARCH_PORT ?? '9200';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) {
    console.error(`OPENSEARCH_PORT must be a TCP port (1-65535), got "${portText}"`);
    return 2;
  }
  const dataDir = process.env.OPENSEARCH_DATA_DIR ? path.resolve(process.env.OPENSEARCH_DATA_DIR) : DEFAULT_DATA_DIR;

  if (await isPortOpen(port)) {
    const version = await probeOpenSearch(`http://127.0.0.1:${port}`);
    if (version) {
      console.error(`OpenSearch ${version} is already running at http://127.0.0.1:${port}; not starting another one.`);
    } else {
      console.error(
        `Port ${port} on 127.0.0.1 is already in use (not by OpenSearch). Set OPENSEARCH_PORT to another port.`,
      );
    }
    return 1;
  }

  const log = (line: string) => console.error(`[opensearch] ${line}`);
  let handle: OpenSearchHandle | undefined;
  let stopRequested = false;
  let stopped: Promise<void> | undefined;
  const stop = (signal: string) => {
    if (stopped) return;
    stopRequested = true;
    console.error(`\n${signal}: stopping OpenSearch…`);
    stopped = (handle ? handle.stop() : Promise.resolve()).then(() => {
      console.error('OpenSearch stopped.');
      process.exit(0);
    });
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));

  try {
    handle = await startOpenSearch({ port, dataDir, log });
  } catch (err) {
    if (stopRequested) return 0;
    console.error((err as Error).message);
    return 1;
  }
  if (stopRequested) {
    await handle.stop();
    return 0;
  }
  console.log(`OpenSearch ${OPENSEARCH_VERSION} ready at ${handle.url} (cluster yellow)`);
  console.log(`data: ${handle.dataDir}   log: ${handle.logFile}   stop: Ctrl-C`);

  const info = await handle.exited;
  if (stopRequested) {
    await stopped;
    return 0;
  }
  console.error(`OpenSearch exited unexpectedly (${info.signal ?? `code ${info.code}`}); see ${handle.logFile}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
