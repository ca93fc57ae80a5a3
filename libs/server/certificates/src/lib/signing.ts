import { createCipheriv, createDecipheriv, createHash, generateKeyPairSync, randomBytes, sign, verify, KeyObject, createPrivateKey, createPublicKey } from 'node:crypto';
import { VERIFICATION_CODE_ALPHABET, VERIFICATION_CODE_LENGTH } from '@dxtrain/shared/contracts';

/** The fields a certificate's signature covers, in the order they are printed. */
export interface SignedFields {
  serial: string;
  version: number;
  verificationCode: string;
  holderName: string;
  courseTitle: string;
  periods: number;
  issuedAt: string;
  issuer: string;
  issuerUnitId: string;
  expiresAt: string | null;
}

/** Canonical form: JSON with sorted keys, NFC strings, no spaces; the same bytes on every machine. */
export function canonicalPayload(fields: SignedFields): string {
  const entries = Object.entries({ v: 1, ...fields })
    .map(([k, v]) => [k, typeof v === 'string' ? v.normalize('NFC') : v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export function newKeyPair(): { publicKeyPem: string; privateKey: KeyObject } {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return { publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), privateKey };
}

export const signPayload = (payload: string, privateKey: KeyObject): string => sign(null, Buffer.from(payload, 'utf8'), privateKey).toString('base64');

export const verifyPayload = (payload: string, signature: string, publicKeyPem: string): boolean =>
  verify(null, Buffer.from(payload, 'utf8'), createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));

/** Private keys at rest: AES-256-GCM under a key derived from the application secret. */
function wrapKey(secret: string): Buffer {
  return createHash('sha256').update(`dxtrain:certificate-keys:${secret}`).digest();
}

export function encryptPrivateKey(privateKey: KeyObject, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrapKey(secret), iv);
  const der = privateKey.export({ type: 'pkcs8', format: 'der' });
  const body = Buffer.concat([cipher.update(der), cipher.final()]);
  return [iv, cipher.getAuthTag(), body].map((b) => b.toString('base64')).join('.');
}

export function decryptPrivateKey(stored: string, secret: string): KeyObject {
  const [iv, tag, body] = stored.split('.').map((p) => Buffer.from(p, 'base64'));
  const decipher = createDecipheriv('aes-256-gcm', wrapKey(secret), iv);
  decipher.setAuthTag(tag);
  const der = Buffer.concat([decipher.update(body), decipher.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}

/** 60 random bits as 12 Crockford base32 characters (unguessable, easy to type, no I/L/O/U). */
export function newVerificationCode(): string {
  const bytes = randomBytes(8);
  let n = bytes.readBigUInt64BE(0) >> 4n; // 60 bits
  let out = '';
  for (let i = 0; i < VERIFICATION_CODE_LENGTH; i++) {
    out = VERIFICATION_CODE_ALPHABET[Number(n & 31n)] + out;
    n >>= 5n;
  }
  return out;
}
