import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import { AllExceptionsFilter, AppConfig, createValidationPipe, MAX_JSON_DEPTH, rejectDeepJson } from '@dxtrain/server/platform';

/**
 * Everything about the HTTP app that is not a route: prefix, body limits, cookies, validation,
 * errors, OpenAPI and the built web app. Shared by main.ts and the integration tests, so the
 * tests exercise exactly what runs.
 */
export function configureApp(app: INestApplication): void {
  const express = app as NestExpressApplication;
  const config = app.get(AppConfig);
  express.set('trust proxy', config.TRUST_PROXY_HOPS);
  express.disable('x-powered-by');
  // API answers are per user and change often: no ETag hashing of every JSON body (static files keep theirs).
  express.set('etag', false);
  // The one JSON parser of the api: bodies nested deeper than MAX_JSON_DEPTH are refused (400 JSON_TOO_DEEP)
  // while still bytes, before parsing, authentication or the validation pipe (which recurses) see them.
  // Nest's typing omits `verify` (it only sets its own with `rawBody: true`, unused here); body-parser takes it.
  const jsonOptions = { limit: '1mb', verify: rejectDeepJson(MAX_JSON_DEPTH) };
  express.useBodyParser('json', jsonOptions);
  app.use(cookieParser());
  app.use((_req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
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

  serveWebApp(express, config.WEB_DIST_PATH);
}

/** Serves the built Angular app, with index.html for every non-API path (client-side routes). */
function serveWebApp(app: NestExpressApplication, distPath: string): void {
  if (!distPath) return;
  const root = resolve(distPath);
  const index = join(root, 'index.html');
  if (!existsSync(index)) return;
  app.useStaticAssets(root, { index: false, maxAge: '1h', setHeaders: (res, path) => path.endsWith('.html') && res.setHeader('Cache-Control', 'no-cache') });
  const http = app.getHttpAdapter().getInstance();
  http.get(/^\/(?!api(\/|$)).*/, (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' || !req.accepts('html')) return next();
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
}
