// The floors of tools/bench/http-layer.mjs: the least an HTTP server on this machine costs per request.
//   node tools/bench/http-layer-floor.mjs node|fastify   (PORT, FLOOR_BODY: the fixed JSON to answer)
// node: a plain node:http server; fastify: a bare Fastify instance (the one @nestjs/platform-fastify
// brings) with the verify route. Both answer every request with the same fixed small JSON, then print
// "LISTENING".
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const kind = process.argv[2];
const port = Number(process.env.PORT);
const body = process.env.FLOOR_BODY ?? '{"status":"valid"}';
const length = String(Buffer.byteLength(body));

if (kind === 'node') {
  createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': length });
    res.end(body);
  }).listen(port, '127.0.0.1', () => console.log(`LISTENING node ${port}`));
} else if (kind === 'fastify') {
  // The Fastify that the Nest adapter itself uses, whatever npm hoisted.
  const require = createRequire(createRequire(import.meta.url).resolve('@nestjs/platform-fastify'));
  const app = require('fastify')({ logger: false });
  app.get('/api/public/verify/:code', (_req, reply) => {
    reply.header('Content-Type', 'application/json; charset=utf-8').send(body);
  });
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`LISTENING fastify ${port}`);
} else {
  console.error('usage: node tools/bench/http-layer-floor.mjs node|fastify');
  process.exit(2);
}
