import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { loadConfig } from '../config/app-config';
import { FileStorage, LocalDiskStorage, S3Storage } from './file-storage';

const SECRET = 'x'.repeat(32);

/**
 * A minimal S3-compatible endpoint (path-style PUT/GET with Range/HEAD/DELETE) that checks each
 * request carries an AWS Signature V4 for the expected key id and that PUT bodies match their
 * x-amz-content-sha256 — enough to prove the real AWS SDK talks to it the way it talks to MinIO.
 */
function fakeS3(accessKeyId: string) {
  const objects = new Map<string, Buffer>();
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const auth = String(req.headers['authorization'] ?? '');
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !auth.includes(`Credential=${accessKeyId}/`)) {
        res.writeHead(403, { 'content-type': 'application/xml' }).end('<Error><Code>AccessDenied</Code></Error>');
        return;
      }
      const url = new URL(req.url ?? '/', 'http://x');
      const key = decodeURIComponent(url.pathname);
      seen.push(`${req.method} ${key}`);
      const body = Buffer.concat(chunks);
      const declared = req.headers['x-amz-content-sha256'];
      if (req.method === 'PUT') {
        if (declared && declared !== 'UNSIGNED-PAYLOAD' && !String(declared).startsWith('STREAMING-') && declared !== createHash('sha256').update(body).digest('hex')) {
          res.writeHead(400).end('<Error><Code>XAmzContentSHA256Mismatch</Code></Error>');
          return;
        }
        objects.set(key, body);
        res.writeHead(200, { etag: '"x"' }).end();
        return;
      }
      const obj = objects.get(key);
      if (req.method === 'DELETE') {
        objects.delete(key);
        res.writeHead(204).end();
        return;
      }
      if (!obj) {
        res.writeHead(404, { 'content-type': 'application/xml' }).end(req.method === 'HEAD' ? undefined : '<Error><Code>NoSuchKey</Code></Error>');
        return;
      }
      if (req.method === 'HEAD') {
        res.writeHead(200, { 'content-length': obj.length }).end();
        return;
      }
      const range = /^bytes=(\d+)-(\d+)$/.exec(String(req.headers['range'] ?? ''));
      if (range) {
        const part = obj.subarray(Number(range[1]), Number(range[2]) + 1);
        res.writeHead(206, { 'content-length': part.length, 'content-range': `bytes ${range[1]}-${range[2]}/${obj.length}` }).end(part);
        return;
      }
      res.writeHead(200, { 'content-length': obj.length }).end(obj);
    });
  });
  return { server, objects, seen };
}

async function text(stream: Readable): Promise<string> {
  return Buffer.concat(await stream.toArray()).toString('utf8');
}

/** The same behaviour is expected of every backend. */
function behavesLikeFileStorage(name: string, make: () => FileStorage) {
  describe(`${name}: the FileStorage contract`, () => {
    it('stores a buffer and a stream, reads them whole and by byte range, reports sizes, removes', async () => {
      const storage = make();
      await storage.put('lessons/a.txt', Buffer.from('Xin chào các bạn', 'utf8'));
      await storage.put('lessons/b.txt', Readable.from([Buffer.from('0123'), Buffer.from('456789')]));
      expect(await text(await storage.read('lessons/a.txt'))).toBe('Xin chào các bạn');
      expect(await text(await storage.read('lessons/b.txt', { start: 2, end: 5 }))).toBe('2345');
      expect(await storage.size('lessons/b.txt')).toBe(10);
      expect(await storage.size('lessons/missing.txt')).toBeNull();
      await storage.remove('lessons/a.txt');
      expect(await storage.size('lessons/a.txt')).toBeNull();
    });

    it('refuses keys that could escape the storage root', async () => {
      const storage = make();
      await expect(storage.put('../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
      await expect(storage.put('/abs', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
    });
  });
}

describe('file storage backends', () => {
  let dir: string;
  const s3 = fakeS3('test-key-id');
  let endpoint = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dxtrain-storage-'));
    await new Promise<void>((r) => s3.server.listen(0, '127.0.0.1', () => r()));
    endpoint = `http://127.0.0.1:${(s3.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    await new Promise((r) => s3.server.close(r));
  });

  behavesLikeFileStorage('local disk', () => new LocalDiskStorage(loadConfig({ JWT_SECRET: SECRET, FILE_STORAGE_DIR: dir })));
  behavesLikeFileStorage('S3-compatible', () =>
    new S3Storage(
      loadConfig({ JWT_SECRET: SECRET, S3_BUCKET: 'dxtrain', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'test-key-id', S3_SECRET_ACCESS_KEY: 'test-secret', S3_FORCE_PATH_STYLE: 'true' }),
    ),
  );

  it('S3 objects live in the configured bucket, path-style', () => {
    expect(s3.seen).toContain('PUT /dxtrain/lessons/a.txt');
    expect(s3.objects.has('/dxtrain/lessons/b.txt')).toBe(true);
  });

  it('S3 errors other than "not found" surface (wrong credentials are not taken as a missing file)', async () => {
    const wrong = new S3Storage(loadConfig({ JWT_SECRET: SECRET, S3_BUCKET: 'dxtrain', S3_ENDPOINT: endpoint, S3_ACCESS_KEY_ID: 'other', S3_SECRET_ACCESS_KEY: 'x' }));
    await expect(wrong.size('lessons/b.txt')).rejects.toBeTruthy();
  });
});
