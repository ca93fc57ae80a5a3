import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig, REDIS } from '@dxtrain/server/platform';

/**
 * Counts failed sign-ins per account and per client IP in Redis (fixed window). Once either
 * count reaches its limit, sign-in is refused for the rest of the window, whatever the password.
 */
@Injectable()
export class LoginThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  private keys(username: string, ip: string | null): [string, string] {
    return [`login-fail:user:${username}`, `login-fail:ip:${ip ?? 'unknown'}`];
  }

  async isBlocked(username: string, ip: string | null): Promise<boolean> {
    const [userKey, ipKey] = this.keys(username, ip);
    const [userCount, ipCount] = await this.redis.mget(userKey, ipKey);
    return Number(userCount ?? 0) >= this.config.LOGIN_MAX_FAILURES_PER_ACCOUNT || Number(ipCount ?? 0) >= this.config.LOGIN_MAX_FAILURES_PER_IP;
  }

  async recordFailure(username: string, ip: string | null): Promise<void> {
    const window = this.config.LOGIN_THROTTLE_WINDOW_SECONDS;
    const [userKey, ipKey] = this.keys(username, ip);
    // NX keeps the window fixed from the first failure.
    await this.redis.multi().incr(userKey).expire(userKey, window, 'NX').incr(ipKey).expire(ipKey, window, 'NX').exec();
  }

  async recordSuccess(username: string): Promise<void> {
    await this.redis.del(this.keys(username, null)[0]);
  }
}
