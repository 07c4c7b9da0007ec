import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { createS3BlobStore } from '../src/files/blob-store';
import { blobsIn, upload } from './helpers/uploads';
import { startTestApp, type TestApp } from './helpers/test-app';
import { workflow } from './helpers/workflow';
import { samplePdf } from './helpers/sample-files';

const BUCKET = 'permit-files';
// s3rver's built-in account.
const CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

describe('files in S3-compatible object storage (a real S3-protocol server, s3rver)', () => {
  let s3: S3rver;
  let endpoint: string;
  let folder: string;
  let app: TestApp;
  const flow = workflow(() => app);

  before(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'permit-s3-'));
    s3 = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: path.join(folder, 'bucket-data'), configureBuckets: [{ name: BUCKET }] });
    endpoint = `http://127.0.0.1:${(await s3.run()).port}`;
    app = await startTestApp({
      config: { dataDir: path.join(folder, 'data'), s3Bucket: BUCKET, s3Endpoint: endpoint, s3Region: 'us-east-1', s3AccessKeyId: CREDENTIALS.accessKeyId, s3SecretAccessKey: CREDENTIALS.secretAccessKey, s3ForcePathStyle: true },
    });
    await flow.signIn('clerk');
  });
  after(async () => {
    await app?.stop();
    await s3?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('when S3_BUCKET is set, then an upload is kept in the bucket (not the folder), once per content, and downloads intact', async () => {
    const created = await flow.submit('370000-AQ-XK-004', { provided: ['M01'] });
    const pdf = samplePdf('kept in S3');
    const hash = createHash('sha256').update(pdf).digest('hex');
    const url = (code: string) => `${app.url}/api/v1/applications/${created.id}/materials/${code}/files`;
    const first = await upload(url('M01'), flow.token('clerk'), pdf, '安全评价报告.pdf');
    const second = await upload(url('M02'), flow.token('clerk'), pdf, '副本.pdf');
    expect([first.status, second.status]).to.deep.equal([201, 201]);
    expect(app.runtime.services.blobs.kind).to.equal('s3');

    const client = new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: CREDENTIALS });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect((listed.Contents ?? []).map((o) => o.Key)).to.deep.equal([`${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`]);
    expect(blobsIn(path.join(folder, 'data'))).to.deep.equal([]);

    const got = await fetch(`${app.url}/api/v1/files/${first.body.fileId}`, { headers: { authorization: `Bearer ${flow.token('clerk')}` } });
    expect(got.status).to.equal(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(pdf)).to.equal(true);
  });

  it('when an address holds nothing, then get answers null; when the server is gone, then the store is unavailable (503), not a 500', async () => {
    const store = createS3BlobStore({ bucket: BUCKET, endpoint, region: 'us-east-1', ...CREDENTIALS, forcePathStyle: true });
    expect(await store.get('0'.repeat(64))).to.equal(null);
    const gone = createS3BlobStore({ bucket: BUCKET, endpoint: 'http://127.0.0.1:1', region: 'us-east-1', ...CREDENTIALS, forcePathStyle: true });
    const failure = await gone.put(Buffer.from('x'), 'application/pdf').then(() => null, (e: unknown) => e as { code?: string; status?: number });
    expect(failure).to.include({ code: 'STORE_UNAVAILABLE', status: 503 });
  });
});
