// The api side of tools/bench/http-layer.mjs, run with ts-node: boots ONE Nest application module on
// the HTTP adapter named by --adapter (express | fastify) and listens on PORT, then prints "LISTENING".
//   --module verify (default): the platform + the certificates public verification controller (and the
//            global auth guard, which lets @Public() routes through), the same module for both adapters;
//   --module app: the full AppModule (used to probe whether it boots on Fastify at all).
// The HTTP set-up mirrors apps/api/src/app/configure-app.ts where it touches this route, written once per
// adapter in that adapter's own idiom: /api prefix, trust-proxy hops, no X-Powered-By / ETag, the three
// security headers on every answer, the validation pipe and the api's error filter (adapter-neutral:
// it answers through header/status/send, which both adapters have).
// Swagger, cookie-parser and the static web app are left out on BOTH sides (not on this route's path).
//   --configure-app yes: instead, exactly what main.ts runs (createHttpAdapter() + configureApp(): Fastify
//            since the move off Express), to measure the production set-up as a reference (Fastify only).
import 'reflect-metadata';
import { INestApplication, Module } from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { ExpressAdapter, NestExpressApplication } from '@nestjs/platform-express';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../../libs/server/audit/src';
import { CatalogModule } from '../../libs/server/catalog/src';
import { CERTIFICATE_ENTITIES, CertificatesService } from '../../libs/server/certificates/src';
import { PublicCertificatesController } from '../../libs/server/certificates/src/lib/certificates.controller';
import { GlobalAuthGuard } from '../../libs/server/identity/src/lib/auth.guard';
import { AllExceptionsFilter, createValidationPipe, loadConfig, PlatformModule, QueueModule } from '../../libs/server/platform/src';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

/** Just what `GET /api/public/verify/:code` needs, as CertificatesModule declares it, with only the public controller. */
@Module({
  imports: [PlatformModule, TypeOrmModule.forFeature(CERTIFICATE_ENTITIES), AuditModule, QueueModule, CatalogModule],
  controllers: [PublicCertificatesController],
  providers: [CertificatesService, { provide: APP_GUARD, useClass: GlobalAuthGuard }],
})
class VerifyOnlyModule {}

const SECURITY_HEADERS = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'same-origin', 'X-Frame-Options': 'DENY' } as const;

async function main(): Promise<void> {
  const adapter = arg('adapter', 'express');
  const moduleName = arg('module', 'verify');
  const production = arg('configure-app', 'no') === 'yes';
  const config = loadConfig();
  const root = moduleName === 'app' ? (await import('../../apps/api/src/app/app.module')).AppModule : VerifyOnlyModule;
  const options = { logger: ['error', 'warn'] as ('error' | 'warn')[] };
  let app: INestApplication;
  if (adapter === 'fastify') {
    // Fastify sends no X-Powered-By and no ETag by default; trust proxy and the body limit are constructor options.
    const { APP_OPTIONS, createHttpAdapter } = await import('../../apps/api/src/app/configure-app');
    // The api's adapter (trust proxy as a hop function, 1 MB body limit) on both sides; only main.ts's set-up turns Nest's parsers off.
    const fastify = await NestFactory.create<NestFastifyApplication>(root, createHttpAdapter(config), production ? { ...APP_OPTIONS, ...options } : options);
    if (!production)
      fastify
        .getHttpAdapter()
        .getInstance()
        .addHook('onRequest', (_req, reply, done) => {
          reply.headers(SECURITY_HEADERS);
          done();
        });
    app = fastify;
  } else if (adapter === 'express') {
    if (production) throw new Error('--configure-app yes is the api as main.ts runs it: Fastify only (use --adapter fastify)');
    const express = await NestFactory.create<NestExpressApplication>(root, new ExpressAdapter(), options);
    if (!production) {
      express.set('trust proxy', config.TRUST_PROXY_HOPS);
      express.disable('x-powered-by');
      express.set('etag', false);
      express.useBodyParser('json', { limit: '1mb' });
      express.use((_req: unknown, res: { setHeader(k: string, v: string): void }, next: () => void) => {
        for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
        next();
      });
    }
    app = express;
  } else throw new Error(`--adapter must be express or fastify, got ${adapter}`);
  if (production) {
    const { configureApp } = await import('../../apps/api/src/app/configure-app');
    try {
      await configureApp(app as NestFastifyApplication);
    } catch (e) {
      console.log(`CONFIGURE_APP FAILED ${e instanceof Error ? e.message : String(e)}`);
      process.exit(3);
    }
  } else {
    app.setGlobalPrefix('api');
    app.useGlobalPipes(createValidationPipe());
    app.useGlobalFilters(new AllExceptionsFilter());
    app.enableShutdownHooks();
  }
  await app.listen(config.PORT, '127.0.0.1');
  console.log(`LISTENING ${adapter} ${moduleName}${production ? ' configureApp' : ''} ${config.PORT}`);
}

main().catch((e) => {
  console.error('BOOT FAILED', e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
