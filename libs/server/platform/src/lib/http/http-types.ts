import type { IncomingHttpHeaders } from 'node:http';
import { StreamableFile } from '@nestjs/common';

/**
 * What handlers and filters use of a request, typed structurally so that they do not name an HTTP
 * adapter (Fastify's request has all of it; `cookies` comes from @fastify/cookie). `protocol` honours
 * X-Forwarded-Proto from the proxies trusted by TRUST_PROXY_HOPS, like `ip` honours X-Forwarded-For.
 */
export interface HttpRequest {
  readonly ip: string;
  readonly protocol: string;
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly cookies?: Record<string, string | undefined>;
}

/** Cookie options as @fastify/cookie takes them (`maxAge` in seconds). */
export interface HttpCookieOptions {
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'strict' | 'lax' | 'none';
  path?: string;
  expires?: Date;
  maxAge?: number;
}

/**
 * What handlers use of a response: `header`, `status` and `send` exist on Fastify's reply (and on
 * Express's response alike); `setCookie`/`clearCookie` come from @fastify/cookie.
 */
export interface HttpReply {
  header(name: string, value: string): unknown;
  status(code: number): HttpReply;
  send(body?: unknown): unknown;
  setCookie(name: string, value: string, options: HttpCookieOptions): unknown;
  clearCookie(name: string, options: HttpCookieOptions): unknown;
}

/** True when the request came over HTTPS (directly or through a trusted proxy). */
export function isHttps(req: HttpRequest): boolean {
  return req.protocol === 'https';
}

/**
 * A file answer (CSV, XLSX, PDF, ICS…) that both HTTP adapters send the same way: Content-Type,
 * Content-Disposition and Content-Length from the StreamableFile, no `@Res()` needed.
 */
export function fileAnswer(body: Buffer | Uint8Array | string, type: string, disposition: string): StreamableFile {
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return new StreamableFile(bytes, { type, disposition, length: bytes.length });
}
