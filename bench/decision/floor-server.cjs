// The floor of the decision benchmark: a bare Node HTTP server that answers every request 204 without reading it,
// in its own process. What any Node HTTP service costs on this machine before doing any work of its own: the
// decision rows are read against it. Prints its URL on stdout; exits on SIGTERM.
const http = require('node:http');

const server = http.createServer((req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.statusCode = 204;
  res.end();
});
server.listen(0, '127.0.0.1', () => process.stdout.write(`http://127.0.0.1:${server.address().port}\n`));
process.on('SIGTERM', () => process.exit(0));
