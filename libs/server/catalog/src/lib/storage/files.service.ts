import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ErrorCode, StoredFileInfo } from '@dxtrain/shared/contracts';
import { Actor, AppConfig, DomainException, FileStorage } from '@dxtrain/server/platform';
import { StoredFileEntity } from './stored-file.entity';

/** Accepted uploads, recognised by their first bytes (never by the name or the browser's claim). */
const SIGNATURES: Array<{ type: string; test: (b: Buffer) => boolean }> = [
  { type: 'application/pdf', test: (b) => b.subarray(0, 5).toString('latin1') === '%PDF-' },
  { type: 'video/mp4', test: (b) => b.subarray(4, 8).toString('latin1') === 'ftyp' },
  { type: 'video/webm', test: (b) => b.readUInt32BE(0) === 0x1a45dfa3 },
  { type: 'image/png', test: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) },
  { type: 'image/jpeg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
];

export function sniffContentType(head: Buffer): string | null {
  if (head.length < 12) return null;
  return SIGNATURES.find((s) => s.test(head))?.type ?? null;
}

export interface UploadedTempFile {
  path: string;
  originalname: string;
  size: number;
}

const URL_TTL_SECONDS = 6 * 3600;

/** Uploads (type-checked, hashed, stored through FileStorage) and short-lived signed download URLs. */
@Injectable()
export class FilesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly storage: FileStorage,
    private readonly config: AppConfig,
  ) {}

  async upload(actor: Actor, file: UploadedTempFile | undefined): Promise<StoredFileInfo> {
    if (!file) throw DomainException.badRequest(ErrorCode.ValidationFailed, [{ field: 'file', message: 'a file is required (multipart field "file")' }]);
    try {
      const handle = await open(file.path, 'r');
      const head = Buffer.alloc(16);
      await handle.read(head, 0, 16, 0);
      await handle.close();
      const contentType = sniffContentType(head);
      if (!contentType) throw DomainException.badRequest(ErrorCode.FileTypeNotAllowed, [{ field: 'file', message: 'not a PDF, MP4, WebM, PNG or JPEG file' }]);
      const sha256 = await hashFile(file.path);
      const id = randomUUID();
      const storageKey = `uploads/${id}`;
      await this.storage.put(storageKey, createReadStream(file.path));
      const fileName = (Buffer.from(file.originalname, 'latin1').toString('utf8') || 'file').normalize('NFC').slice(0, 255);
      const entity = this.db.getRepository(StoredFileEntity).create({ id, storageKey, fileName, contentType, size: String(file.size), sha256, uploadedBy: actor.userId });
      await this.db.getRepository(StoredFileEntity).insert(entity);
      return { id, fileName, contentType, size: file.size, sha256 };
    } finally {
      await rm(file.path, { force: true });
    }
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.config.JWT_SECRET).update(`file:${fileId}:${expires}`).digest('base64url');
  }

  async signedInfo(fileId: string): Promise<{ fileUrl: string | null; fileName: string | null; contentType: string | null }> {
    const file = await this.db.getRepository(StoredFileEntity).findOneBy({ id: fileId });
    if (!file) return { fileUrl: null, fileName: null, contentType: null };
    const expires = Math.floor(Date.now() / 1000) + URL_TTL_SECONDS;
    return { fileUrl: `/api/files/${fileId}/content?expires=${expires}&sig=${this.sign(fileId, expires)}`, fileName: file.fileName, contentType: file.contentType };
  }

  /** Checks a signed URL; answers 404 for a bad or expired signature (nothing to learn from it). */
  async openSigned(fileId: string, expires: string | undefined, sig: string | undefined): Promise<StoredFileEntity & { sizeBytes: number }> {
    const exp = Number(expires);
    const expected = Number.isInteger(exp) ? this.sign(fileId, exp) : '';
    const given = Buffer.from(String(sig ?? ''));
    const valid = expected !== '' && given.length === expected.length && timingSafeEqual(given, Buffer.from(expected)) && exp > Date.now() / 1000;
    if (!valid) throw DomainException.notFound(ErrorCode.FileNotFound);
    const file = await this.db.getRepository(StoredFileEntity).findOneBy({ id: fileId });
    if (!file) throw DomainException.notFound(ErrorCode.FileNotFound);
    return { ...file, sizeBytes: Number(file.size) };
  }

  read(file: StoredFileEntity, range?: { start: number; end: number }) {
    return this.storage.read(file.storageKey, range);
  }
}

function hashFile(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}
