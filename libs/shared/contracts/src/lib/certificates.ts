/** Certificates: what learners, organisers, HR and the public see of them. */

export enum CertificateStatus {
  Valid = 'valid',
  Revoked = 'revoked',
  /** Replaced by a corrected re-issue (same serial, next version, new verification code). */
  Superseded = 'superseded',
  Expired = 'expired',
}

/** Crockford base32 (no I, L, O, U), 12 characters = 60 bits, printed as XXXX-XXXX-XXXX. */
export const VERIFICATION_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const VERIFICATION_CODE_LENGTH = 12;

/**
 * A typed code as the canonical 12 characters: case-insensitive, dashes and spaces ignored,
 * I/L read as 1 and O as 0 (Crockford). Null when it cannot be a code.
 */
export function normaliseVerificationCode(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  if (s.length !== VERIFICATION_CODE_LENGTH) return null;
  for (const ch of s) if (!VERIFICATION_CODE_ALPHABET.includes(ch)) return null;
  return s;
}

/**
 * `POST /api/certificates/verify-bulk`: most lines (distinct codes or serials) one file may hold.
 * Each counts against the per-IP limit of the public check (`VERIFY_RATE_LIMIT_PER_MINUTE`), so the
 * server caps a file at the smaller of the two.
 */
export const BULK_VERIFY_MAX_LINES = 100;

export const formatVerificationCode = (code: string): string => code.match(/.{1,4}/g)?.join('-') ?? code;

export interface CertificateItem {
  id: string;
  serial: string;
  version: number;
  verificationCode: string;
  status: CertificateStatus;
  personId: string;
  holderName: string;
  /** The course certified; null for a class with no linked course. */
  courseId: string | null;
  /** The training class attended, when the certificate came from a class. */
  classId: string | null;
  courseTitle: string;
  periods: number;
  trainingYear: number;
  issuedAt: string;
  expiresAt: string | null;
  issuer: string;
  revokedAt: string | null;
  revokedReason: string | null;
  /**
   * A signed, short-lived download URL (`/api/public/certificates/:id/pdf`), checked against the
   * certificate's status at download time; null until the worker has rendered the PDF, and for a
   * revoked or superseded certificate.
   */
  pdfUrl: string | null;
  verifyUrl: string;
}

/** `GET /api/public/verify/:code`: no more personal data than printed on the certificate. */
export interface PublicVerification {
  status: CertificateStatus;
  serial: string;
  version: number;
  holderName: string;
  courseTitle: string;
  periods: number;
  issuedAt: string;
  issuer: string;
  expiresAt?: string;
  revokedAt?: string;
  revokedReason?: string;
  /** Lets a third party check the data with the published key, without trusting our database. */
  signature: { keyId: string; algorithm: 'Ed25519'; payload: string; value: string };
}

export interface PublicKeyInfo {
  keyId: string;
  issuerUnitId: string;
  issuer: string;
  algorithm: 'Ed25519';
  publicKeyPem: string;
  createdAt: string;
}

export interface PdfVerification {
  authentic: boolean;
  /** When authentic: the certificate the file is, with its current status. */
  certificate?: PublicVerification;
}

/**
 * How an issuer unit's certificates look (`GET/PUT /api/certificate-templates/:unitId`). A unit
 * without its own template uses the nearest ancestor's; without any, the built-in wording.
 */
export interface CertificateTemplate {
  /** The unit whose template this is (the unit asked for, or the ancestor it inherits from). */
  issuerUnitId: string;
  issuerUnitName: string;
  /** True when the unit asked for has no template of its own and this one is inherited (or built in). */
  inherited: boolean;
  /** E.g. "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC" (one line per row). */
  signerTitle: string;
  signerName: string;
  /** Place printed before the date ("Gia Lai, ngày …"); null: the province's name. */
  place: string | null;
  /** The line under "GIẤY CHỨNG NHẬN"; null: "Hoàn thành chương trình bồi dưỡng". */
  subtitle: string | null;
  /** Months a certificate stays valid; null: no expiry. */
  validityMonths: number | null;
  /** A PNG or JPEG uploaded with `POST /api/files`, printed top left. */
  logoFileId: string | null;
  updatedAt: string | null;
}

export interface CertificateTemplateInput {
  signerTitle: string;
  signerName: string;
  place?: string | null;
  subtitle?: string | null;
  validityMonths?: number | null;
  logoFileId?: string | null;
}

/** `POST /api/certificates/batch`: certificates for every completion of a course (and year). */
export interface CertificateBatchResult {
  completions: number;
  alreadyIssued: number;
  /** Issued by the worker in the background; they appear in the list as they are made. */
  queued: number;
}
