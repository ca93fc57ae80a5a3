import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import { NestApplicationOptions } from '@nestjs/common';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AllExceptionsFilter, AppConfig, createValidationPipe, DomainException, loadConfig, MAX_JSON_DEPTH, rejectDeepJson } from '@dxtrain/server/platform';
import { ErrorCode } from '@dxtrain/shared/contracts';

/** The JSON body limit (and Fastify's for every body it buffers; multipart uploads have their own, per route). */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The api's HTTP adapter: Fastify. Proxy trust is a constructor option here: with TRUST_PROXY_HOPS = n,
 * `req.ip` and `req.protocol` come from the n nearest X-Forwarded-* hops (0: the socket), as Express's
 * `trust proxy = n` did. A function rather than the number: since 5.12 Fastify ignores a bare hop count
 * (it trusts nothing then). Fastify sends no X-Powered-By and no ETag on JSON answers.
 */
export function createHttpAdapter(config: AppConfig = loadConfig()): FastifyAdapter {
  const hops = config.TRUST_PROXY_HOPS;
  return new FastifyAdapter({ trustProxy: hops > 0 ? (_address: string, hop: number) => hop < hops : false, bodyLimit: BODY_LIMIT_BYTES });
}

/** Nest's own body parsers stay off: configureApp() installs the api's JSON parser (depth check first). */
export const APP_OPTIONS: NestApplicationOptions = { bodyParser: false };

const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' } as const;

/**
 * Everything about the HTTP app that is not a route: prefix, body parsing, cookies, multipart, security
 * headers, validation, errors, OpenAPI and the built web app. Shared by main.ts and the integration tests,
 * so the tests exercise exactly what runs. Call before `init()`/`listen()`.
 */
export async function configureApp(app: NestFastifyApplication): Promise<void> {
  const config = app.get(AppConfig);
  const fastify = app.getHttpAdapter().getInstance();
  registerBodyParsers(app);
  await app.register(fastifyCookie);
  // Limits are per route (FileUpload(…)); these are only the outer bounds. File names are read as UTF-8.
  await app.register(fastifyMultipart, { limits: { fileSize: config.MAX_UPLOAD_MB * 1024 * 1024, files: 1, fields: 10 } });
  fastify.addHook('onRequest', (_req, reply, done) => {
    reply.headers(SECURITY_HEADERS);
    done();
  });
  app.setGlobalPrefix('api');
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AllExceptionsFilter());
  app.enableShutdownHooks();

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('dxtrain API')
      .setDescription('Training management for provincial Digital Transformation networks. Errors: { statusCode, code, message, details? }.')
      .setVersion('1')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  await serveWebApp(app, config.WEB_DIST_PATH);
}

/**
 * The one JSON parser of the api: bodies nested deeper than MAX_JSON_DEPTH are refused (400 JSON_TOO_DEEP)
 * while still bytes, before parsing, authentication or the validation pipe (which recurses) see them.
 * As before: an empty body is `{}`, only an object or an array is accepted at the top (400 otherwise),
 * a non-UTF-8 charset is decoded; `__proto__`/`constructor` keys are refused (Fastify's secure parser).
 * application/x-www-form-urlencoded is parsed too (flat fields).
 */
function registerBodyParsers(app: NestFastifyApplication): void {
  const fastify = app.getHttpAdapter().getInstance();
  const depth = rejectDeepJson(MAX_JSON_DEPTH);
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit: BODY_LIMIT_BYTES }, (req: FastifyRequest, body: Buffer, done) => {
    try {
      const charset = /charset\s*=\s*"?([^";\s]+)/i.exec(String(req.headers['content-type'] ?? ''))?.[1] ?? null;
      depth(req, null, body, charset);
      const text = charset && !/^utf-?8$/i.test(charset) ? new TextDecoder(charset).decode(body) : body.toString('utf8');
      const start = text.trimStart()[0];
      if (start === undefined) return done(null, {});
      if (start !== '{' && start !== '[') throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: '', message: 'a JSON body must be an object or an array' }]);
      void parseJson(req, text, done);
    } catch (e) {
      done(e as Error, undefined);
    }
  });
  app.useBodyParser('application/x-www-form-urlencoded', { bodyLimit: BODY_LIMIT_BYTES }, (_req: FastifyRequest, body: Buffer, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body.toString('utf8'))));
  });
}

const API_PATH = /^\/api(\/|\?|$)/;

/** Serves the built Angular app, with index.html for every non-API GET that accepts HTML (client-side routes). */
async function serveWebApp(app: NestFastifyApplication, distPath: string): Promise<void> {
  if (!distPath) return;
  const root = resolve(distPath);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    // One route per file found at start-up (the build does not change under a running api), so that
    // every other path falls through to the SPA route below.
    wildcard: false,
    maxAge: 3600_000,
    setHeaders: (res, path) => {
      if (path.endsWith('.html')) res.header('Cache-Control', 'no-cache');
    },
  });
  const fallback = async (req: FastifyRequest, reply: FastifyReply) => {
    if (API_PATH.test(req.url) || !acceptsHtml(req.headers.accept)) return reply.callNotFound();
    return reply.header('Cache-Control', 'no-cache').type('text/html; charset=UTF-8').send(await readFile(index));
  };
  const fastify = app.getHttpAdapter().getInstance();
  fastify.get('/', fallback);
  fastify.get('/*', fallback);
}

/** Express's `req.accepts('html')`: no Accept header, or one naming text/html or a wildcard type (without q=0). */
function acceptsHtml(accept: string | undefined): boolean {
  if (!accept) return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    return ['text/html', 'text/*', '*/*'].includes(type.trim()) && !(q && Number(q.slice(2)) === 0);
  });
}
