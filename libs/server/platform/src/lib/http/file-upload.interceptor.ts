import { createWriteStream } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { BadRequestException, CallHandler, ExecutionContext, Inject, Injectable, mixin, NestInterceptor, PayloadTooLargeException, Type } from '@nestjs/common';
import { from, Observable, switchMap } from 'rxjs';
import { AppConfig } from '../config/app-config';

/** One uploaded file as handlers receive it through `@UploadedFile()` (the names multer used). */
export interface UploadedFileData {
  fieldname: string;
  originalname: string;
  encoding: string;
  mimetype: string;
  size: number;
  /** `storage: 'memory'`: the bytes. */
  buffer: Buffer;
  /** `storage: 'disk'`: a temporary file holding the bytes (the handler moves or deletes it). */
  path: string;
}

export interface FileUploadOptions {
  /** Largest file in bytes, or a function of the configuration; beyond it: 413 (PayloadTooLargeException, see tooLargeAs). */
  maxBytes: number | ((config: AppConfig) => number);
  /** Most non-file fields (default 10) and files (default 1) in the form. */
  fields?: number;
  files?: number;
  /** memory (default): `buffer`; disk: a temporary file, never the whole upload in memory. */
  storage?: 'memory' | 'disk';
}

interface MultipartPart {
  type: 'file' | 'field';
  fieldname: string;
  value?: unknown;
  filename?: string;
  encoding: string;
  mimetype: string;
  file?: Readable & { truncated?: boolean; bytesRead?: number };
  toBuffer?: () => Promise<Buffer>;
}

interface MultipartRequest {
  isMultipart?: () => boolean;
  parts?: (options: { limits: Record<string, number> }) => AsyncIterableIterator<MultipartPart>;
  body?: unknown;
  file?: Partial<UploadedFileData>;
}

/**
 * Reads a multipart form (@fastify/multipart) the way multer's FileInterceptor did: the one file of
 * field `field` onto `req.file` (fieldname, originalname, mimetype, size, buffer or path), the other
 * fields onto `req.body`; a file over the limit → PayloadTooLargeException (413; `tooLargeAs` gives it a
 * domain code), a file in another field, too many files or fields, a malformed form → 400. A request
 * that is not multipart passes through with no file.
 */
export function FileUpload(field: string, options: FileUploadOptions): Type<NestInterceptor> {
  @Injectable()
  class FileUploadInterceptor implements NestInterceptor {
    constructor(@Inject(AppConfig) private readonly config: AppConfig) {}

    intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
      const req = context.switchToHttp().getRequest<MultipartRequest>();
      return from(this.read(req)).pipe(switchMap(() => next.handle()));
    }

    private async read(req: MultipartRequest): Promise<void> {
      if (typeof req.isMultipart !== 'function' || !req.isMultipart() || !req.parts) return;
      const maxBytes = typeof options.maxBytes === 'function' ? options.maxBytes(this.config) : options.maxBytes;
      const limits = { fileSize: maxBytes, files: options.files ?? 1, fields: options.fields ?? 10 };
      const body: Record<string, unknown> = {};
      let file: UploadedFileData | undefined;
      let tempPath: string | undefined;
      try {
        for await (const part of req.parts({ limits })) {
          if (part.type === 'field') {
            const prev = body[part.fieldname];
            body[part.fieldname] = prev === undefined ? part.value : Array.isArray(prev) ? [...prev, part.value] : [prev, part.value];
            continue;
          }
          if (part.fieldname !== field || file) {
            part.file?.resume();
            throw new BadRequestException(part.fieldname !== field ? 'Unexpected field' : 'Too many files');
          }
          const base = { fieldname: part.fieldname, originalname: part.filename ?? '', encoding: part.encoding, mimetype: part.mimetype };
          if (options.storage === 'disk') {
            tempPath = join(tmpdir(), `upload-${randomBytes(16).toString('hex')}`);
            const stream = part.file as Readable & { truncated?: boolean; bytesRead?: number };
            let size = 0;
            stream.on('data', (chunk: Buffer) => (size += chunk.length));
            await pipeline(stream, createWriteStream(tempPath));
            if (stream.truncated) throw new PayloadTooLargeException('File too large');
            file = { ...base, size, path: tempPath, buffer: undefined as unknown as Buffer };
          } else {
            const buffer = await (part.toBuffer as () => Promise<Buffer>)();
            file = { ...base, size: buffer.length, buffer, path: undefined as unknown as string };
          }
        }
      } catch (e) {
        if (tempPath) await unlink(tempPath).catch(() => undefined);
        throw toHttpError(e);
      }
      req.body = body;
      req.file = file;
    }
  }
  return mixin(FileUploadInterceptor);
}

/** multer's mapping: the file size limit → 413, every other limit or a malformed form → 400. */
function toHttpError(e: unknown): unknown {
  if (e instanceof BadRequestException || e instanceof PayloadTooLargeException) return e;
  const code = typeof e === 'object' && e && 'code' in e ? String((e as { code: unknown }).code) : '';
  const message = e instanceof Error ? e.message : String(e);
  if (code === 'FST_REQ_FILE_TOO_LARGE') return new PayloadTooLargeException(message);
  // FST_FILES_LIMIT, FST_FIELDS_LIMIT, FST_PARTS_LIMIT, busboy's "Unexpected end of form"…
  if (code.startsWith('FST_') || e instanceof Error) return new BadRequestException(message);
  return e;
}
