import { ConfigError, loadConfig } from './app-config';

const SECRET = 'x'.repeat(32);

describe('loadConfig', () => {
  it('applies defaults and converts types', () => {
    const config = loadConfig({ JWT_SECRET: SECRET, PORT: '3100', COOKIE_SECURE: 'true' });
    expect(config.PORT).toBe(3100);
    expect(config.COOKIE_SECURE).toBe(true);
    expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
    expect(config.JWT_ACCESS_TTL_SECONDS).toBe(900);
  });

  it('fails fast, naming every bad variable', () => {
    expect(() => loadConfig({ JWT_SECRET: 'short', PORT: 'eighty', NODE_ENV: 'staging' })).toThrow(ConfigError);
    try {
      loadConfig({ JWT_SECRET: 'short', PORT: 'eighty', NODE_ENV: 'staging' });
    } catch (e) {
      const message = (e as Error).message;
      expect(message).toContain('JWT_SECRET');
      expect(message).toContain('PORT');
      expect(message).toContain('NODE_ENV');
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ JWT_SECRET: SECRET, PORT: '' }).PORT).toBe(3000);
  });
});
