import { signCheckIn, verifyCheckIn } from './check-in-token';

describe('check-in token', () => {
  const id = '5f0c1d6e-8f0a-4c9a-9b1e-2d7f3a1b2c3d';
  const end = new Date('2026-12-05T04:30:00Z');

  it('round-trips the session id and expiry', () => {
    expect(verifyCheckIn('secret', signCheckIn('secret', id, end))).toEqual({ sessionId: id, expiresAt: end });
  });

  it('refuses another secret, a changed expiry and garbage', () => {
    const t = signCheckIn('secret', id, end);
    expect(verifyCheckIn('other', t)).toBeNull();
    const [sid, exp, sig] = t.split('.');
    expect(verifyCheckIn('secret', `${sid}.${Number(exp) + 3600}.${sig}`)).toBeNull();
    expect(verifyCheckIn('secret', 'not-a-token')).toBeNull();
  });
});
