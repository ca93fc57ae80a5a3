import { formatVerificationCode, normaliseVerificationCode, VERIFICATION_CODE_ALPHABET } from '@dxtrain/shared/contracts';
import { canonicalPayload, decryptPrivateKey, encryptPrivateKey, newKeyPair, newVerificationCode, SignedFields, signPayload, verifyPayload } from './signing';

const fields: SignedFields = {
  serial: 'GL-2026-000123',
  version: 1,
  verificationCode: '7K2M9QXD4TRB',
  holderName: 'Nguyễn Thị Hương',
  courseTitle: 'Kỹ năng số cơ bản',
  periods: 8,
  issuedAt: '2026-11-22T03:00:00.000Z',
  issuer: 'Tỉnh Gia Lai',
  issuerUnitId: '00000000-0000-4000-8000-000000000001',
  expiresAt: null,
};

describe('certificate signing', () => {
  it('canonical form: sorted keys, NFC text, independent of property order and of decomposed input', () => {
    const decomposed = { ...fields, holderName: fields.holderName.normalize('NFD') };
    const reordered = Object.fromEntries(Object.entries(decomposed).reverse()) as unknown as SignedFields;
    expect(canonicalPayload(reordered)).toBe(canonicalPayload(fields));
    expect(Object.keys(JSON.parse(canonicalPayload(fields)))).toEqual([...Object.keys(fields), 'v'].sort());
  });

  it('signs with Ed25519; any change to the payload fails verification', () => {
    const { publicKeyPem, privateKey } = newKeyPair();
    const payload = canonicalPayload(fields);
    const signature = signPayload(payload, privateKey);
    expect(verifyPayload(payload, signature, publicKeyPem)).toBe(true);
    expect(verifyPayload(canonicalPayload({ ...fields, periods: 80 }), signature, publicKeyPem)).toBe(false);
    expect(verifyPayload(payload, signature, newKeyPair().publicKeyPem)).toBe(false);
  });

  it('stores private keys encrypted: the right secret round-trips, a wrong one is refused', () => {
    const { publicKeyPem, privateKey } = newKeyPair();
    const stored = encryptPrivateKey(privateKey, 'a-secret-that-is-long-enough-0123456789');
    expect(stored).not.toContain('PRIVATE KEY');
    const back = decryptPrivateKey(stored, 'a-secret-that-is-long-enough-0123456789');
    expect(verifyPayload('x', signPayload('x', back), publicKeyPem)).toBe(true);
    expect(() => decryptPrivateKey(stored, 'another-secret-that-is-long-enough-000')).toThrow();
  });
});

describe('verification codes', () => {
  it('are 12 Crockford base32 characters, different every time', () => {
    const codes = new Set(Array.from({ length: 2000 }, () => newVerificationCode()));
    expect(codes.size).toBe(2000);
    for (const c of codes) {
      expect(c).toHaveLength(12);
      expect([...c].every((ch) => VERIFICATION_CODE_ALPHABET.includes(ch))).toBe(true);
    }
  });

  it('read back however they are typed (case, dashes, spaces, I/L/O confusions) and refuse what cannot be a code', () => {
    expect(normaliseVerificationCode('7k2m-9qxd-4trb')).toBe('7K2M9QXD4TRB');
    expect(normaliseVerificationCode(' 7K2M 9QXD 4TRB ')).toBe('7K2M9QXD4TRB');
    expect(normaliseVerificationCode('OIL0-0000-0000')).toBe('011000000000');
    expect(normaliseVerificationCode('7K2M-9QXD-4TR')).toBeNull();
    expect(normaliseVerificationCode('7K2M-9QXD-4TRU')).toBeNull();
    expect(normaliseVerificationCode('<script>alert</script>')).toBeNull();
    expect(formatVerificationCode('7K2M9QXD4TRB')).toBe('7K2M-9QXD-4TRB');
  });
});
