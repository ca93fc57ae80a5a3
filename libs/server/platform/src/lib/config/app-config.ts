import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';

const toBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : ['1', 'true', 'yes', 'on'].includes(String(value).toLowerCase());
const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : Number(value));

/**
 * Every environment variable the api and the worker read, with its type and default.
 * `.env.example` documents the same list; `loadConfig()` fails fast on bad values.
 */
export class AppConfig {
  /** development | production | test */
  @IsIn(['development', 'production', 'test'])
  NODE_ENV = 'development';

  /** HTTP port of the api (which also serves the web app). */
  @Transform(toInt) @IsInt() @Min(1) @Max(65535)
  PORT = 3000;

  /**
   * HTTP processes of the api sharing PORT (node:cluster); 1 runs no cluster. Every per-process
   * state (the certificate verify cache) is kept coherent through Redis, so any number is safe.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(64)
  API_PROCESSES = 1;

  /** Public base URL, used in links (e-mails, QR codes). */
  @IsUrl({ require_tld: false, require_protocol: true })
  PUBLIC_URL = 'http://localhost:3000';

  /** PostgreSQL connection string. `npm start` fills it in (embedded PostgreSQL) when unset. */
  @IsString() @MinLength(1)
  DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/dxtrain';

  /** Maximum connections per process. */
  @Transform(toInt) @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE = 10;

  /** Redis connection string (BullMQ queues, sign-in throttling). */
  @IsString() @MinLength(1)
  REDIS_URL = 'redis://127.0.0.1:6379';

  /** Prefix of every Redis key, so several installations (or test runs) can share one Redis. */
  @IsString() @MinLength(1)
  REDIS_PREFIX = 'dxtrain';

  /** Secret for signing access tokens (at least 32 characters). `npm start` generates one under .data/. */
  @IsString() @MinLength(32)
  JWT_SECRET = '';

  /** Lifetime of an access token, in seconds. */
  @Transform(toInt) @IsInt() @Min(30) @Max(86400)
  JWT_ACCESS_TTL_SECONDS = 900;

  /** Lifetime of a refresh token (rotated on every use), in days. */
  @Transform(toInt) @IsInt() @Min(1) @Max(90)
  REFRESH_TOKEN_TTL_DAYS = 14;

  /** Set the Secure flag on the refresh cookie (true behind HTTPS). */
  @Transform(toBool) @IsBoolean()
  COOKIE_SECURE = false;

  /**
   * Sign-in throttling is per (account, source): a device that signed in to the account before has its
   * own count; any other attempt counts per (account, IP). Failures of one source before it is delayed.
   */
  @Transform(toInt) @IsInt() @Min(1) @Max(100)
  LOGIN_FAILURES_BEFORE_DELAY = 5;

  /** First delay of a source past those failures, in seconds; it doubles with each further failure… */
  @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  LOGIN_DELAY_BASE_SECONDS = 60;

  /** …up to this many seconds. */
  @Transform(toInt) @IsInt() @Min(1) @Max(86400)
  LOGIN_DELAY_MAX_SECONDS = 3600;

  /** A source's failures are forgotten this many seconds after its last attempt (a success clears them at once). */
  @Transform(toInt) @IsInt() @Min(60)
  LOGIN_FAILURE_MEMORY_SECONDS = 86400;

  /**
   * Distinct accounts that may fail from one IP (from devices not known to them) within the window before
   * that IP's unknown devices must wait: far above a room of 200 behind one NAT, low enough to stop spraying.
   */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_MAX_FAILING_ACCOUNTS_PER_IP = 300;

  /** Sliding window of the per-IP count, in seconds. */
  @Transform(toInt) @IsInt() @Min(1)
  LOGIN_THROTTLE_WINDOW_SECONDS = 900;

  /** Folder of the built Angular app that the api serves; empty to serve only /api. */
  @IsOptional() @IsString()
  WEB_DIST_PATH = '';

  /** Folder of the local-disk file storage (uploads, generated documents). */
  @IsString() @MinLength(1)
  FILE_STORAGE_DIR = '.data/files';

  /** S3-compatible storage instead of the local disk when set (MinIO, Ceph, AWS, a provider's object storage). */
  @IsOptional() @IsString()
  S3_BUCKET = '';

  /** Endpoint of the S3-compatible service, e.g. http://minio:9000 (empty: AWS for S3_REGION). */
  @IsOptional() @IsString()
  S3_ENDPOINT = '';

  @IsString() @MinLength(1)
  S3_REGION = 'us-east-1';

  @IsOptional() @IsString()
  S3_ACCESS_KEY_ID = '';

  @IsOptional() @IsString()
  S3_SECRET_ACCESS_KEY = '';

  /** Path-style URLs (http://host/bucket/key), which most self-hosted services need. */
  @Transform(toBool) @IsBoolean()
  S3_FORCE_PATH_STYLE = true;

  /** Largest accepted upload, in megabytes. */
  @Transform(toInt) @IsInt() @Min(1) @Max(2048)
  MAX_UPLOAD_MB = 200;

  /** Trust X-Forwarded-For from this many proxies (0 behind none). */
  @Transform(toInt) @IsInt() @Min(0) @Max(10)
  TRUST_PROXY_HOPS = 0;

  /** Outgoing mail server (smtp://user:pass@host:587 or smtps://…); empty keeps e-mail in the outbox for admins. */
  @IsOptional() @IsString()
  SMTP_URL = '';

  /** Sender address of outgoing e-mail. */
  @IsString() @MinLength(3)
  SMTP_FROM = 'dxtrain <no-reply@dxtrain.local>';

  /** Public certificate checks (`/api/public/verify/*`) allowed per client IP per minute. */
  @Transform(toInt) @IsInt() @Min(1)
  VERIFY_RATE_LIMIT_PER_MINUTE = 120;

  /**
   * Seconds a verified certificate stays in each api process's memory (0: read the database every
   * time). Changes (issue, revoke, re-issue) evict it at once in every process through Redis pub/sub;
   * the lifetime only bounds staleness should a message be lost.
   */
  @Transform(toInt) @IsInt() @Min(0) @Max(3600)
  VERIFY_CACHE_SECONDS = 60;

  /** When the compliance reminders run (cron, Asia/Ho_Chi_Minh): default Mondays 08:00. */
  @IsString() @Matches(/^(\S+\s+){4,5}\S+$/, { message: 'COMPLIANCE_REMINDER_CRON must be a cron expression of 5 or 6 fields' })
  COMPLIANCE_REMINDER_CRON = '0 8 * * 1';

  /** At most one reminder per person (and one digest per unit manager) in this many days. */
  @Transform(toInt) @IsInt() @Min(1) @Max(365)
  COMPLIANCE_REMINDER_INTERVAL_DAYS = 7;

  /** How often the worker recomputes the coverage roll-up of years with new facts, in seconds. */
  @Transform(toInt) @IsInt() @Min(5) @Max(3600)
  COMPLIANCE_REFRESH_SECONDS = 60;

  /** The current year is recomputed at least this often even without new completions (moves, sign-ins), seconds. */
  @Transform(toInt) @IsInt() @Min(60) @Max(86400)
  COMPLIANCE_REFRESH_STALE_SECONDS = 900;
}

export class ConfigError extends Error {}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defined = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const config = plainToInstance(AppConfig, defined, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false, whitelist: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => `  ${e.property}=${JSON.stringify(e.value)}: ${Object.values(e.constraints ?? {}).join('; ')}`);
    throw new ConfigError(`Invalid configuration (see .env.example):\n${lines.join('\n')}`);
  }
  return config;
}
