import { createHmac, timingSafeEqual } from 'node:crypto';

/** Check-in opens this long before a session starts. */
export const CHECK_IN_OPENS_BEFORE_MS = 30 * 60_000;

/**
 * Self check-in token shown as a QR code by the trainer: `<session id>.<expiry, epoch s>.<HMAC>`,
 * HMAC-SHA256 under the app secret (domain-separated from other signatures by a prefix). The
 * expiry is the session's end; the server also refuses before start − 30 min.
 */
export function signCheckIn(secret: string, sessionId: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${sessionId}.${exp}.${mac(secret, sessionId, exp)}`;
}

export function verifyCheckIn(secret: string, token: string): { sessionId: string; expiresAt: Date } | null {
  const m = /^([0-9a-f-]{36})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const [, sessionId, expRaw, sig] = m;
  const exp = Number(expRaw);
  const want = Buffer.from(mac(secret, sessionId, exp));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got)) return null;
  return { sessionId, expiresAt: new Date(exp * 1000) };
}

function mac(secret: string, sessionId: string, exp: number): string {
  return createHmac('sha256', secret).update(`check-in:${sessionId}:${exp}`).digest('base64url');
}
