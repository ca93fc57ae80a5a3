import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { CertificateStatus } from '@dxtrain/shared/contracts';

/**
 * An issued certificate. The data printed on it are frozen at issue (holder name as issued,
 * course title, periods, issuer) and signed; a correction is a new row with the same serial and
 * the next version, the old one becoming `superseded`.
 */
@Entity('certificates')
@Index('UQ_certificates_current', ['personId', 'courseId', 'trainingYear'], { unique: true, where: `status <> 'superseded'` })
@Index('UQ_certificates_serial_version', ['serial', 'version'], { unique: true })
@Index('UQ_certificates_code', ['verificationCode'], { unique: true })
@Index('IDX_certificates_sha256', ['sha256'])
@Index('IDX_certificates_course', ['courseId', 'trainingYear'])
// A class with no linked course certifies once per person, class and year (course ones are covered above).
@Index('UQ_certificates_class_current', ['personId', 'classId', 'trainingYear'], { unique: true, where: `status <> 'superseded' AND class_id IS NOT NULL AND course_id IS NULL` })
@Index('IDX_certificates_class', ['classId'])
export class CertificateEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** "Số vào sổ": `<province code>-<year>-<000123>`, per issuer and year. */
  @Column({ type: 'varchar', length: 40 })
  serial!: string;

  @Column({ type: 'int', default: 1 })
  version!: number;

  @Column({ name: 'verification_code', type: 'char', length: 12 })
  verificationCode!: string;

  @Column({ name: 'person_id', type: 'uuid' })
  personId!: string;

  /** Null for a class with no linked course. */
  @Column({ name: 'course_id', type: 'uuid', nullable: true })
  courseId!: string | null;

  /** The training class the certificate came from (`class.completed`), if any. */
  @Column({ name: 'class_id', type: 'uuid', nullable: true })
  classId!: string | null;

  @Column({ name: 'completion_id', type: 'uuid', nullable: true })
  completionId!: string | null;

  @Column({ name: 'training_year', type: 'int' })
  trainingYear!: number;

  @Column({ name: 'holder_name', type: 'varchar', length: 200 })
  holderName!: string;

  @Column({ name: 'course_title', type: 'varchar', length: 255 })
  courseTitle!: string;

  @Column({ type: 'int' })
  periods!: number;

  @Column({ name: 'issuer_unit_id', type: 'uuid' })
  issuerUnitId!: string;

  @Column({ name: 'issuer_name', type: 'varchar', length: 255 })
  issuerName!: string;

  /** Place as printed ("Gia Lai"). */
  @Column({ type: 'varchar', length: 100 })
  place!: string;

  @Column({ name: 'signer_title', type: 'varchar', length: 200 })
  signerTitle!: string;

  @Column({ name: 'signer_name', type: 'varchar', length: 200 })
  signerName!: string;

  @Column({ name: 'issued_at', type: 'timestamptz' })
  issuedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'varchar', length: 20, default: CertificateStatus.Valid })
  status!: CertificateStatus;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'revoked_reason', type: 'varchar', length: 500, nullable: true })
  revokedReason!: string | null;

  @Column({ name: 'superseded_by', type: 'uuid', nullable: true })
  supersededBy!: string | null;

  @Column({ name: 'key_id', type: 'uuid' })
  keyId!: string;

  /** The canonical JSON that was signed. */
  @Column({ name: 'signed_payload', type: 'text' })
  signedPayload!: string;

  @Column({ type: 'varchar', length: 200 })
  signature!: string;

  /** The line under the title, from the issuer's template (null: the built-in wording). */
  @Column({ type: 'varchar', length: 200, nullable: true })
  subtitle!: string | null;

  /** The issuer's logo at the time of issue (a stored PNG/JPEG). */
  @Column({ name: 'logo_file_id', type: 'uuid', nullable: true })
  logoFileId!: string | null;

  @Column({ name: 'file_id', type: 'uuid', nullable: true })
  fileId!: string | null;

  @Column({ type: 'char', length: 64, nullable: true })
  sha256!: string | null;

  @Column({ name: 'rendered_at', type: 'timestamptz', nullable: true })
  renderedAt!: Date | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** The serial counter per prefix (issuer's province code) and year. */
@Entity('certificate_serials')
export class CertificateSerialEntity {
  @PrimaryColumn({ type: 'varchar', length: 20 })
  prefix!: string;

  @PrimaryColumn({ type: 'int' })
  year!: number;

  @Column({ name: 'last_number', type: 'int', default: 0 })
  lastNumber!: number;
}

/** An issuer's Ed25519 key pair; the private key is stored encrypted (AES-256-GCM, key derived from the app secret). */
@Entity('signing_keys')
@Index('UQ_signing_keys_active', ['issuerUnitId'], { unique: true, where: 'active' })
export class SigningKeyEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'issuer_unit_id', type: 'uuid' })
  issuerUnitId!: string;

  @Column({ name: 'public_key_pem', type: 'text' })
  publicKeyPem!: string;

  @Column({ name: 'private_key_encrypted', type: 'text' })
  privateKeyEncrypted!: string;

  @Column({ type: 'boolean', default: true })
  active!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** An issuer unit's certificate template: signer, wording, place, validity and logo. Inherited down the tree. */
@Entity('certificate_templates')
export class CertificateTemplateEntity {
  @PrimaryColumn({ name: 'issuer_unit_id', type: 'uuid' })
  issuerUnitId!: string;

  @Column({ name: 'signer_title', type: 'varchar', length: 200 })
  signerTitle!: string;

  @Column({ name: 'signer_name', type: 'varchar', length: 200, default: '' })
  signerName!: string;

  @Column({ type: 'varchar', length: 100, nullable: true })
  place!: string | null;

  @Column({ type: 'varchar', length: 200, nullable: true })
  subtitle!: string | null;

  @Column({ name: 'validity_months', type: 'int', nullable: true })
  validityMonths!: number | null;

  @Column({ name: 'logo_file_id', type: 'uuid', nullable: true })
  logoFileId!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

export const CERTIFICATE_ENTITIES = [CertificateEntity, CertificateSerialEntity, SigningKeyEntity, CertificateTemplateEntity];
