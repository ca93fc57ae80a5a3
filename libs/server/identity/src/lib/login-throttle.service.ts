import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, REDIS } from '@dxtrain/server/platform';

/** Lifetime of the device cookie and of a device's "known for this account" mark (browsers cap cookies at 400 days). */
export const DEVICE_COOKIE_DAYS = 400;

/** Where a sign-in comes from: the client IP (as Express resolves it under `trust proxy`) and the device cookie. */
export interface LoginSource {
  ip: string | null;
  deviceId: string | null;
}

/** A counted sign-in attempt (or a refused one: `retryAfterSeconds` > 0). */
export interface LoginAttempt {
  retryAfterSeconds: number;
  /** The device has signed in to this account before: it has a counter of its own and ignores the per-IP cap. */
  knownDevice: boolean;
  username: string;
  bucketKey: string;
  ipKey: string;
  knownKey: string | null;
}

/**
 * Atomic check-and-count of one attempt (counted before the password is verified, so parallel guesses
 * cannot slip past the threshold; a success deletes the count again).
 * KEYS[1]: the source's bucket (hash n = attempts, until = ms); KEYS[2] (unknown devices only): the IP's
 * failing accounts (sorted set, score = last failure ms).
 * ARGV: now ms, free attempts, base delay s, max delay s, bucket memory ms, per-IP cap, per-IP window ms.
 * Returns {0, 0} when counted, {1, ms} when the IP is over its cap, {2, ms} when the source is delayed.
 */
const ATTEMPT_SCRIPT = `
local now = tonumber(ARGV[1])
if #KEYS > 1 then
  local window = tonumber(ARGV[7])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  local count = redis.call('ZCARD', KEYS[2])
  local cap = tonumber(ARGV[6])
  if count >= cap then
    local oldest = redis.call('ZRANGE', KEYS[2], count - cap, count - cap, 'WITHSCORES')
    return {1, math.max(1, tonumber(oldest[2]) + window - now)}
  end
end
local untilMs = tonumber(redis.call('HGET', KEYS[1], 'until') or '0')
if untilMs > now then return {2, untilMs - now} end
local n = redis.call('HINCRBY', KEYS[1], 'n', 1)
local free = tonumber(ARGV[2])
if n >= free then
  local delay = math.min(tonumber(ARGV[3]) * math.pow(2, n - free), tonumber(ARGV[4]))
  redis.call('HSET', KEYS[1], 'until', string.format('%.0f', now + delay * 1000))
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {0, 0}
`;

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * Sign-in throttling per (account, source), with growing delays, in Redis (shared by every api process).
 *
 * - A device that has signed in to the account before ("known": its cookie is remembered per account) has
 *   its own counter, (account, device): nobody else's failures touch it, and the per-IP cap ignores it.
 * - Any other attempt (no cookie, a new cookie, a cookie known only for other accounts) counts per
 *   (account, IP): dropping or renewing the cookie does not reset an attacker's count.
 * - After LOGIN_FAILURES_BEFORE_DELAY failures of a source, each further failure delays that source:
 *   LOGIN_DELAY_BASE_SECONDS, doubling per failure up to LOGIN_DELAY_MAX_SECONDS; the count is forgotten
 *   LOGIN_FAILURE_MEMORY_SECONDS after the last attempt, and a successful sign-in clears it.
 * - Per IP, the DISTINCT accounts failing from unknown devices are counted over a sliding
 *   LOGIN_THROTTLE_WINDOW_SECONDS; at LOGIN_MAX_FAILING_ACCOUNTS_PER_IP that IP's unknown devices wait
 *   (password spraying). A room behind one NAT whose users mistype stays far below it.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  /** Counts an attempt before the password is checked, or says how long the source must wait. */
  async attempt(username: string, source: LoginSource): Promise<LoginAttempt> {
    const user = encodeURIComponent(username);
    const ip = source.ip ?? 'unknown';
    const knownKey = source.deviceId ? `login:known:${user}:${sha256(source.deviceId)}` : null;
    const knownDevice = knownKey ? (await this.redis.exists(knownKey)) === 1 : false;
    const bucketKey = knownDevice && knownKey ? `login:fail:dev:${user}:${sha256(source.deviceId as string)}` : `login:fail:ip:${user}:${ip}`;
    const ipKey = `login:ip-accounts:${ip}`;
    const c = this.config;
    const keys = knownDevice ? [bucketKey] : [bucketKey, ipKey];
    const [, waitMs] = (await this.redis.eval(
      ATTEMPT_SCRIPT,
      keys.length,
      ...keys,
      Date.now(),
      c.LOGIN_FAILURES_BEFORE_DELAY,
      c.LOGIN_DELAY_BASE_SECONDS,
      c.LOGIN_DELAY_MAX_SECONDS,
      c.LOGIN_FAILURE_MEMORY_SECONDS * 1000,
      c.LOGIN_MAX_FAILING_ACCOUNTS_PER_IP,
      c.LOGIN_THROTTLE_WINDOW_SECONDS * 1000,
    )) as [number, number];
    return { retryAfterSeconds: Math.ceil(Number(waitMs) / 1000), knownDevice, username, bucketKey, ipKey, knownKey };
  }

  /** A wrong password (or unknown account): from an unknown device, it also counts toward the IP's distinct failing accounts. */
  async failed(attempt: LoginAttempt): Promise<void> {
    if (attempt.knownDevice) return;
    await this.redis
      .multi()
      .zadd(attempt.ipKey, Date.now(), attempt.username)
      .pexpire(attempt.ipKey, this.config.LOGIN_THROTTLE_WINDOW_SECONDS * 1000)
      .exec();
  }

  /** A successful sign-in clears the source's count and remembers the device for this account. */
  async succeeded(attempt: LoginAttempt): Promise<void> {
    const tx = this.redis.multi().del(attempt.bucketKey).zrem(attempt.ipKey, attempt.username);
    if (attempt.knownKey) tx.set(attempt.knownKey, '1', 'EX', DEVICE_COOKIE_DAYS * 86400);
    await tx.exec();
  }
}
