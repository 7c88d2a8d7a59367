#!/usr/bin/env node
// `api-sessions-import`: the package `bin` for the import command (backend/import/cli.ts), run through tsx.
// Same as `npm run import -- …`; see `api-sessions-import --help`.
require('tsx/cjs');
const { main } = require('./cli.ts');

main(process.argv.slice(2)).then(
  // Exit once stdout is flushed (a --dry-run piped into another program must not lose its tail).
  (code) => process.stdout.write('', () => process.exit(code)),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
