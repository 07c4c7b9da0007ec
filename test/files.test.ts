import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MIB } from '../src/files/file-store';
import { createStaff } from '../src/use-cases/manage-staff';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc, workflow } from './helpers/workflow';
import { applicationBody } from './helpers/api-client';
import { blobsIn, upload } from './helpers/uploads';
import { sampleExe, sampleOfd, samplePdf, samplePng, sampleZip } from './helpers/sample-files';

const ITEM = '370000-AQ-XK-004';
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('files of the materials (申请材料文件)', () => {
  let app: TestApp;
  let dataDir: string;
  const flow = workflow(() => app);
  const { api } = flow;

  before(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'permit-files-'));
    app = await startTestApp({ config: { dataDir, uploadMaxFileMb: 1, uploadMaxApplicationMb: 3 } });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => {
    await app?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const filesUrl = (id: string, code: string) => `${app.url}/api/v1/applications/${id}/materials/${code}/files`;
  /** A window intake and the applicant's token for it. */
  async function submitted(): Promise<{ id: string; enterprise: string }> {
    const created = await flow.submit(ITEM, { provided: ['M01'] });
    const login = await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode });
    expect(login.status).to.equal(200);
    return { id: created.id, enterprise: login.body.token };
  }
  const listOf = async (id: string, token: string) => {
    const res = await api.get(`/api/v1/applications/${id}/files`, token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body.materials as { code: string; files: any[] }[];
  };

  it('when the clerk uploads a PDF with a Chinese name, then downloading it gives the same bytes and hash, inline, sandboxed, not sniffed', async () => {
    const { id } = await submitted();
    const pdf = samplePdf('licence scan');
    const res = await upload(filesUrl(id, 'M01'), flow.token('clerk'), pdf, '营业执照（副本）.pdf');
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body).to.include({ name: '营业执照（副本）.pdf', contentType: 'application/pdf', size: pdf.length, sha256: sha256(pdf), version: 1 });
    expect(res.body.fileId).to.be.a('string');

    const got = await fetch(`${app.url}/api/v1/files/${res.body.fileId}`, { headers: { authorization: `Bearer ${flow.token('reviewer')}` } });
    expect(got.status).to.equal(200);
    const bytes = Buffer.from(await got.arrayBuffer());
    expect(sha256(bytes)).to.equal(sha256(pdf));
    expect(bytes.equals(pdf)).to.equal(true);
    expect(got.headers.get('content-type')).to.equal('application/pdf');
    expect(got.headers.get('x-content-type-options')).to.equal('nosniff');
    expect(got.headers.get('content-security-policy')).to.equal("default-src 'none'; sandbox");
    const disposition = got.headers.get('content-disposition')!;
    expect(disposition).to.match(/^inline;/);
    expect(decodeURIComponent(/filename\*=UTF-8''([^;]+)/.exec(disposition)![1])).to.equal('营业执照（副本）.pdf');

    const materials = await listOf(id, flow.token('clerk'));
    expect(materials.map((m) => m.code)).to.deep.equal(['M01', 'M02', 'M03', 'M04', 'M05', 'M06', 'M07']);
    expect(materials[0].files.map((f) => f.name)).to.deep.equal(['营业执照（副本）.pdf']);
  });

  it('when an OFD package is uploaded, then it is kept as it is and served as an attachment; a plain ZIP is refused', async () => {
    const { id, enterprise } = await submitted();
    const ofd = sampleOfd();
    const res = await upload(filesUrl(id, 'M03'), enterprise, ofd, '安全评价报告.ofd');
    expect(res.status, JSON.stringify(res.body)).to.equal(201);
    expect(res.body.contentType).to.equal('application/ofd');
    const got = await fetch(`${app.url}/api/v1/files/${res.body.fileId}`, { headers: { authorization: `Bearer ${enterprise}` } });
    expect(got.headers.get('content-disposition')).to.match(/^attachment;/);
    expect(Buffer.from(await got.arrayBuffer()).equals(ofd)).to.equal(true);

    const zip = await upload(filesUrl(id, 'M03'), enterprise, sampleZip(), '报告.ofd');
    expect(zip.status).to.equal(415);
  });

  it('when the same bytes are uploaded twice, then the blob is stored once and both files point at it', async () => {
    const { id } = await submitted();
    const png = samplePng(9, 9, [10, 200, 10]);
    const first = await upload(filesUrl(id, 'M01'), flow.token('clerk'), png, 'a.png');
    const second = await upload(filesUrl(id, 'M02'), flow.token('clerk'), png, 'b.png');
    expect([first.status, second.status]).to.deep.equal([201, 201]);
    expect(first.body.fileId).not.to.equal(second.body.fileId);
    expect(second.body.sha256).to.equal(first.body.sha256);
    expect(blobsIn(dataDir).filter((name) => name === sha256(png))).to.have.length(1);
  });

  it('when a renamed executable is uploaded, then it is a 415 naming the accepted types, and nothing is stored', async () => {
    const { id, enterprise } = await submitted();
    const before = blobsIn(dataDir).length;
    const res = await upload(filesUrl(id, 'M01'), enterprise, sampleExe(), '营业执照.pdf');
    expect(res.status).to.equal(415);
    expect(res.body.error.code).to.equal('UNSUPPORTED_MEDIA_TYPE');
    expect(res.body.error.message).to.include('不支持的文件类型').and.to.include('Unsupported file type').and.to.include('PDF, JPEG, PNG, OFD');
    expect(res.body.error.details.detected).to.equal('application/x-msdownload');
    expect(blobsIn(dataDir).length).to.equal(before);
    expect((await listOf(id, enterprise)).flatMap((m) => m.files)).to.deep.equal([]);
  });

  it('when a file is over the per-file limit, then it is a 413 and neither bytes nor metadata are stored', async () => {
    const { id } = await submitted();
    const before = blobsIn(dataDir).length;
    const big = Buffer.concat([samplePdf(), Buffer.alloc(MIB)]);
    const res = await upload(filesUrl(id, 'M01'), flow.token('clerk'), big, 'big.pdf');
    expect(res.status).to.equal(413);
    expect(res.body.error.code).to.equal('PAYLOAD_TOO_LARGE');
    expect(res.body.error.message).to.include('1 MiB');
    expect(blobsIn(dataDir).length).to.equal(before);
    expect((await listOf(id, flow.token('clerk'))).flatMap((m) => m.files)).to.deep.equal([]);
  });

  it('when the files of an application would pass the per-application limit, then the upload is a 413 and nothing of it is stored', async () => {
    const { id } = await submitted();
    const near = (n: number) => Buffer.concat([samplePdf(`part ${n}`), Buffer.alloc(MIB - 2048, n)]);
    for (const n of [1, 2, 3]) expect((await upload(filesUrl(id, 'M04'), flow.token('clerk'), near(n), `${n}.pdf`)).status).to.equal(201);
    const before = blobsIn(dataDir).length;
    const over = near(4);
    const res = await upload(filesUrl(id, 'M04'), flow.token('clerk'), over, '4.pdf');
    expect(res.status).to.equal(413);
    expect(res.body.error.message).to.include('3 MiB');
    expect(blobsIn(dataDir)).to.have.length(before).and.not.include(sha256(over));
    expect((await listOf(id, flow.token('clerk'))).find((m) => m.code === 'M04')!.files.map((f) => f.version)).to.deep.equal([3, 2, 1]);
  });

  it('when a material takes a file again, then it is a new version, listed newest first, and the old one is kept', async () => {
    const { id, enterprise } = await submitted();
    const v1 = samplePdf('first');
    const v2 = samplePdf('second');
    expect((await upload(filesUrl(id, 'M02'), enterprise, v1, '平面图.pdf')).body.version).to.equal(1);
    expect((await upload(filesUrl(id, 'M02'), enterprise, v2, '平面图.pdf')).body.version).to.equal(2);
    const files = (await listOf(id, enterprise)).find((m) => m.code === 'M02')!.files;
    expect(files.map((f) => [f.version, f.sha256])).to.deep.equal([[2, sha256(v2)], [1, sha256(v1)]]);
    expect(files[0].uploadedBy).to.include({ kind: 'enterprise' });
    const old = await fetch(`${app.url}/api/v1/files/${files[1].fileId}`, { headers: { authorization: `Bearer ${enterprise}` } });
    expect(Buffer.from(await old.arrayBuffer()).equals(v1)).to.equal(true);
  });

  it('when uploads to one application run at once, then every one is kept, each material numbering its versions without a gap', async () => {
    const { id } = await submitted();
    const uploads = Array.from({ length: 8 }, (_, i) => upload(filesUrl(id, i % 2 ? 'M05' : 'M06'), flow.token('clerk'), samplePdf(`concurrent ${i}`), `${i}.pdf`));
    const results = await Promise.all(uploads);
    expect(results.map((r) => r.status)).to.deep.equal(Array(8).fill(201));
    const materials = await listOf(id, flow.token('clerk'));
    for (const code of ['M05', 'M06']) {
      expect(materials.find((m) => m.code === code)!.files.map((f) => f.version)).to.deep.equal([4, 3, 2, 1]);
    }
    expect(materials.flatMap((m) => m.files.map((f) => f.fileId)).sort()).to.deep.equal(results.map((r) => r.body.fileId).sort());
  });

  it('when the enterprise of application A asks for a file of application B or uploads to B, then it gets 404, as for a file that does not exist', async () => {
    const a = await submitted();
    const b = await submitted();
    const fileOfB = await upload(filesUrl(b.id, 'M01'), b.enterprise, samplePdf('B'), 'b.pdf');
    expect(fileOfB.status).to.equal(201);
    const read = await fetch(`${app.url}/api/v1/files/${fileOfB.body.fileId}`, { headers: { authorization: `Bearer ${a.enterprise}` } });
    expect(read.status).to.equal(404);
    const missing = await fetch(`${app.url}/api/v1/files/00000000-0000-0000-0000-000000000000`, { headers: { authorization: `Bearer ${a.enterprise}` } });
    expect(missing.status).to.equal(404);
    expect(((await read.json()) as any).error.code).to.equal('NOT_FOUND');
    expect((await upload(filesUrl(b.id, 'M02'), a.enterprise, samplePdf('A'), 'a.pdf')).status).to.equal(404);
    expect((await api.get(`/api/v1/applications/${b.id}/files`, a.enterprise)).status).to.equal(404);
    expect((await fetch(`${app.url}/api/v1/files/${fileOfB.body.fileId}`)).status).to.equal(401);
    // A reviewer of the jurisdiction reads the files but does not upload them.
    expect((await upload(filesUrl(b.id, 'M02'), flow.token('reviewer'), samplePdf('R'), 'r.pdf')).status).to.equal(403);
  });

  it('when staff of another jurisdiction ask for a file of an application they do not handle, or upload to it, then they get 404', async () => {
    const b = await submitted();
    const fileOfB = await upload(filesUrl(b.id, 'M01'), b.enterprise, samplePdf('B2'), 'b2.pdf');
    expect(fileOfB.status).to.equal(201);
    await createStaff(app.runtime.services, { username: 'qd-files-clerk', name: '青岛市窗口', role: 'clerk', jurisdiction: '370200', password: 'qingdao-files-pass' });
    const qingdao = await api.login('qd-files-clerk', 'qingdao-files-pass');
    expect((await fetch(`${app.url}/api/v1/files/${fileOfB.body.fileId}`, { headers: { authorization: `Bearer ${qingdao}` } })).status).to.equal(404);
    expect((await api.get(`/api/v1/applications/${b.id}/files`, qingdao)).status).to.equal(404);
    expect((await upload(filesUrl(b.id, 'M02'), qingdao, samplePdf('Q'), 'q.pdf')).status).to.equal(404);
    expect((await listOf(b.id, b.enterprise)).find((m) => m.code === 'M02')!.files).to.deep.equal([]);
  });

  it('when the application no longer takes materials, then an upload is a 409; a bad material code or a missing file part is a 400', async () => {
    const { id, enterprise } = await submitted();
    expect((await upload(filesUrl(id, 'M99'), enterprise, samplePdf(), 'x.pdf')).status).to.equal(400);
    const wrongField = await upload(filesUrl(id, 'M01'), enterprise, samplePdf(), 'x.pdf', 'document');
    expect(wrongField.status).to.equal(400);
    const json = await api.post(`/api/v1/applications/${id}/materials/M01/files`, { file: 'x' }, enterprise);
    expect(json.status).to.equal(400);
    expect(json.body.error.message).to.include('multipart/form-data');
    await flow.sendOk(id, { type: 'ACCEPT' }, 'clerk');
    const late = await upload(filesUrl(id, 'M01'), enterprise, samplePdf(), 'late.pdf');
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal('PRECONDITION_FAILED');
  });

  it('when materials are marked, then each mark is in the timeline, the correction notice is pre-filled from them, and the corrected file is a new version', async () => {
    const { id, enterprise } = await submitted();
    await upload(filesUrl(id, 'M02'), enterprise, samplePdf('blurred'), '营业执照.pdf');
    await flow.sendOk(id, { type: 'MARK_MATERIAL', material: 'M01', verdict: 'accepted' }, 'clerk');
    await flow.sendFails(id, { type: 'MARK_MATERIAL', material: 'M02', verdict: 'needs_correction' }, 'clerk', 400, 'VALIDATION_FAILED');
    const marked = await flow.sendOk(id, { type: 'MARK_MATERIAL', material: 'M02', verdict: 'needs_correction', reason: '营业执照复印件不清晰' }, 'clerk');
    expect(marked.status).to.equal('submitted');
    expect(marked.details.materialReviews).to.deep.include({ M02: { verdict: 'needs_correction', reason: '营业执照复印件不清晰', by: marked.details.materialReviews.M02.by, on: '2026-03-02' } });
    expect(marked.details.materialReviews.M01.verdict).to.equal('accepted');
    expect(marked.timeline.filter((e: any) => e.event === 'MARK_MATERIAL').map((e: any) => e.data.material)).to.deep.equal(['M01', 'M02']);
    const correction = marked.actions.find((a: any) => a.type === 'REQUEST_CORRECTION');
    const prefilled = correction.schema.properties.items['x-default'];
    expect(prefilled.zh[0]).to.deep.equal({ material: 'M02', description: '营业执照复印件不清晰' });

    await flow.sendOk(id, { type: 'REQUEST_CORRECTION', items: prefilled.zh }, 'clerk');
    const again = await upload(filesUrl(id, 'M02'), enterprise, samplePdf('sharp'), '营业执照.pdf');
    expect(again.status).to.equal(201);
    expect(again.body.version).to.equal(2);
    await flow.sendFails(id, { type: 'MARK_MATERIAL', material: 'M02', verdict: 'accepted' }, enterprise, 403, 'FORBIDDEN');
  });

  it('when an online submission carries files, then they are stored with it and their materials count as provided', async () => {
    const uscc = freshUscc();
    const { channel: _c, ...body } = applicationBody(ITEM, { uscc, materials: [{ code: 'M01', provided: false }] });
    const form = new FormData();
    form.append('application', JSON.stringify(body));
    form.append('files[M01]', new Blob([samplePdf('online M01')]), '申请书.pdf');
    form.append('files[M02]', new Blob([samplePng()]), '现场照片.png');
    const res = await fetch(`${app.url}/api/v1/online-applications`, { method: 'POST', body: form });
    const created = (await res.json()) as any;
    expect(res.status, JSON.stringify(created)).to.equal(201);
    expect(created.files.map((f: any) => [f.material, f.name, f.version])).to.deep.equal([['M01', '申请书.pdf', 1], ['M02', '现场照片.png', 1]]);
    const login = await api.post('/api/v1/auth/enterprise-token', { applicationNo: created.applicationNo, queryCode: created.queryCode });
    const view = await api.get(`/api/v1/applications/${login.body.applicationId}`, login.body.token);
    expect(view.body.materials.filter((m: any) => m.provided).map((m: any) => m.code)).to.deep.equal(['M01', 'M02']);
    expect((await listOf(login.body.applicationId, login.body.token)).find((m) => m.code === 'M02')!.files[0].contentType).to.equal('image/png');
  });

  it('when an online submission carries a bad file, then nothing is created: no application, no bytes', async () => {
    const uscc = freshUscc();
    const { channel: _c, ...body } = applicationBody(ITEM, { uscc });
    const before = blobsIn(dataDir).length;
    const send = async (files: [string, Buffer, string][]) => {
      const form = new FormData();
      form.append('application', JSON.stringify(body));
      for (const [field, bytes, name] of files) form.append(field, new Blob([bytes]), name);
      const res = await fetch(`${app.url}/api/v1/online-applications`, { method: 'POST', body: form });
      return { status: res.status, body: await res.json() };
    };
    expect((await send([['files[M01]', samplePdf('ok'), 'ok.pdf'], ['files[M02]', sampleExe(), 'setup.pdf']])).status).to.equal(415);
    expect((await send([['files[M01]', Buffer.concat([samplePdf(), Buffer.alloc(MIB)]), 'big.pdf']])).status).to.equal(413);
    expect((await send([['files[M42]', samplePdf('unknown material'), 'x.pdf']])).status).to.equal(400);
    const notJson = new FormData();
    notJson.append('application', '{not json');
    const bad = await fetch(`${app.url}/api/v1/online-applications`, { method: 'POST', body: notJson });
    expect(bad.status).to.equal(400);
    expect(blobsIn(dataDir).length).to.equal(before);
    const search = await api.get(`/api/v1/applications?uscc=${uscc}`, flow.token('clerk'));
    expect(search.body.total).to.equal(0);
  });
});
