import { expect } from 'chai';
import { INSTRUMENTS } from '../src/documents/instruments';
import { documentIdOf, issueDocument } from '../src/documents/issue-document';
import { missingGlyphs } from '../src/documents/render-pdf';
import { hasValidMod37_36Check } from '../src/domain/identifiers';
import { CITY_ITEM, COUNTY_ITEM } from './helpers/certificates';
import { download, pdfQrCodes, pdfText, sha256 } from './helpers/pdf';
import { startTestApp, type TestApp } from './helpers/test-app';
import { freshUscc, promise, workflow } from './helpers/workflow';

const APPLICANT = '烟台市芝罘区安达化工贸易有限公司';
// 危险化学品经营许可证（不带有储存设施）: county level, 容缺受理 allowed, M01–M04 core.
const DEFICIENT_ITEM = '370000-AQ-XK-003';

describe('written instruments (行政许可文书) and the electronic certificate (电子证照) as PDFs', function () {
  let app: TestApp;
  const flow = workflow(() => app);
  const api = flow.api;
  const services = () => app.runtime.services;
  /** The documents of an application once the ones issued after the response are done. */
  const documentsOf = async (id: string, token = flow.token('clerk')) => {
    await services().effects.drain();
    const res = await api.get(`/api/v1/applications/${id}/documents`, token);
    expect(res.status, JSON.stringify(res.body)).to.equal(200);
    return res.body as { id: string; kind: string; number: string; issuedAt: string; sha256: string; url: string }[];
  };
  const pdfOf = async (url: string, token = flow.token('clerk')) => {
    const res = await download(app.url + url, token);
    expect(res.status).to.equal(200);
    expect(res.type).to.equal('application/pdf');
    return res.bytes;
  };
  const serialOf = (number: string) => Number(/〕(\d+)号$/.exec(number)![1]);

  before(async function () {
    app = await startTestApp({ now: '2026-03-02T02:00:00Z' });
    await flow.signIn('clerk', 'reviewer');
  });
  after(async () => app?.stop());

  it('when an application is accepted, then its 受理通知书 is a PDF with its 文号, the applicant and the dates, its SHA-256 in the timeline', async () => {
    const created = await flow.submit(CITY_ITEM, { provided: ['M01', 'M02', 'M03'] });
    const accepted = await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    // The request did not wait for the PDF: it is issued right after the response.
    expect(accepted.status).to.equal('under_review');

    const [doc] = await documentsOf(created.id);
    expect(doc.kind).to.equal('acceptance');
    expect(doc.number).to.match(/^烟应急许受〔2026〕\d+号$/);
    expect(doc.issuedAt).to.equal('2026-03-02T02:00:00.000Z');
    const bytes = await pdfOf(doc.url);
    expect(sha256(bytes)).to.equal(doc.sha256);
    const text = await pdfText(bytes);
    for (const expected of [doc.number, '受理通知书', APPLICANT, '2026年3月2日', created.applicationNo, '烟台市应急管理部门']) expect(text).to.include(expected);

    const view = await flow.read(created.id);
    const entry = view.timeline.find((t: { event: string }) => t.event === 'DOCUMENT_ISSUED');
    expect(entry.data).to.deep.equal({ documentId: doc.id, kind: 'acceptance', number: doc.number, sha256: doc.sha256, issuedAt: doc.issuedAt });
    // Downloaded again: the very same bytes.
    expect(sha256(await pdfOf(doc.url))).to.equal(doc.sha256);
  });

  it('when two applications are accepted at once, then they get two different, consecutive 文号', async () => {
    const [a, b] = [await flow.submit(CITY_ITEM), await flow.submit(CITY_ITEM)];
    await Promise.all([flow.sendOk(a.id, { type: 'ACCEPT' }, 'clerk'), flow.sendOk(b.id, { type: 'ACCEPT' }, 'clerk')]);
    const [[da], [db]] = [await documentsOf(a.id), await documentsOf(b.id)];
    expect(da.number).to.not.equal(db.number);
    expect(Math.abs(serialOf(da.number) - serialOf(db.number))).to.equal(1);
  });

  it('when a correction is requested and then not made, then the 补正材料通知书 lists every item and the 不予受理决定书 states the remedies', async () => {
    const created = await flow.submit(CITY_ITEM, { provided: ['M01'] });
    const items = [{ material: 'M02', description: '营业执照副本复印件加盖公章' }, { material: 'M03', description: '补充岗位操作规程目录' }, { description: '申请书第3页缺少法定代表人签字' }];
    await flow.sendOk(created.id, { type: 'REQUEST_CORRECTION', items }, 'clerk');
    const [notice] = await documentsOf(created.id);
    expect(notice.kind).to.equal('correction');
    expect(notice.number).to.match(/^烟应急许补〔2026〕\d+号$/);
    const text = await pdfText(await pdfOf(notice.url));
    for (const item of items) expect(text).to.include(item.description);
    expect(text).to.include('营业执照（M02）');
    expect(text).to.include('一次性告知');

    await flow.sendOk(created.id, { type: 'SUBMIT_CORRECTION' }, 'clerk');
    await flow.sendOk(created.id, { type: 'REJECT', reason: '申请事项不属于本机关职权范围' }, 'clerk');
    const refusal = (await documentsOf(created.id)).find((d) => d.kind === 'notAccepted')!;
    expect(refusal.number).to.match(/^烟应急许不受〔2026〕\d+号$/);
    const refusalText = await pdfText(await pdfOf(refusal.url));
    for (const expected of ['不予受理决定书', '申请事项不属于本机关职权范围', '六十日内', '烟台市人民政府', '行政复议', '六个月内', '行政诉讼', APPLICANT]) expect(refusalText).to.include(expected);
  });

  it('when an application is approved, then the decision and the certificate are issued; the certificate carries its 证照标识 and a QR token the public check verifies', async () => {
    const uscc = freshUscc();
    const created = await flow.submit(CITY_ITEM, { uscc, provided: ['M01', 'M02', 'M03'] });
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const approved = await flow.sendOk(created.id, { type: 'APPROVE', note: '符合条件' }, 'reviewer');
    const number = approved.certificateNo as string;
    const docs = await documentsOf(created.id);
    expect(docs.map((d) => d.kind)).to.deep.equal(['acceptance', 'approval', 'certificate']);
    expect(docs[1].number).to.match(/^烟应急许准〔2026〕\d+号$/);
    expect(docs[2].number).to.equal(number);

    const cert = (await api.get(`/api/v1/certificates/${number}`, flow.token('reviewer'))).body;
    const serial = number.split('-').slice(-2).join('');
    expect(cert.licence.id).to.match(new RegExp(`^1\\.2\\.156\\.3005\\.2\\.370000AQXK004\\.11370600MB28511723\\.${serial}\\.001\\.[0-9A-Z]$`));
    expect(hasValidMod37_36Check(cert.licence.id)).to.equal(true);
    expect(cert.licence).to.deep.include({
      version: '001', previousId: null, issuedOn: '2026-03-02', validFrom: '2026-03-02', validUntil: '2029-03-01',
      holder: { name: APPLICANT, code: uscc, codeType: '统一社会信用代码' }, issuer: { name: '烟台市应急管理部门（危险化学品安全监督管理科）', code: '11370600MB28511723' }, status: { zh: '有效', en: 'Valid' },
    });
    expect(cert.pdf.sha256).to.equal(docs[2].sha256);

    const bytes = await pdfOf(`/api/v1/certificates/${number}/pdf`, flow.token('reviewer'));
    expect(sha256(bytes)).to.equal(cert.pdf.sha256);
    const text = await pdfText(bytes);
    for (const expected of [number, cert.licence.id, APPLICANT, uscc, '2026年3月2日', '2029年3月1日', '11370600MB28511723']) expect(text).to.include(expected);

    const [link] = await pdfQrCodes(bytes);
    expect(link).to.match(/\/api\/v1\/certificates\/verify\?token=[\w-]+\.[\w-]+$/);
    const token = new URL(link).searchParams.get('token')!;
    const check = await api.get(`/api/v1/certificates/verify?token=${token}`);
    expect(check.status).to.equal(200);
    expect(check.body).to.include({ result: 'valid', number, licenceId: cert.licence.id, pdfSha256: sha256(bytes) });

    const [payload, signature] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ number: 'LU-WHSY-2026-999999', licenceId: null })).toString('base64url');
    for (const tampered of [`${forged}.${signature}`, `${payload}.${signature.slice(0, -2)}AA`]) {
      const refused = await api.get(`/api/v1/certificates/verify?token=${tampered}`);
      expect(refused.status).to.equal(400);
      expect(refused.body.error.message).to.include('核验码无效或已被篡改');
    }
    // The check by number and holder still answers, with the same fingerprint.
    const byNumber = await api.get(`/api/v1/certificates/verify?number=${number}&uscc=${uscc}`);
    expect(byNumber.body).to.include({ result: 'valid', pdfSha256: sha256(bytes) });
    expect((await api.get(`/api/v1/certificates/verify?number=${number}`)).status).to.equal(400);
  });

  it('when the enterprise of application A asks for the documents of application B, then it is told they do not exist', async () => {
    const a = await flow.submit(CITY_ITEM);
    const b = await flow.submit(CITY_ITEM);
    await flow.sendOk(a.id, { type: 'ACCEPT' }, 'clerk');
    await flow.sendOk(b.id, { type: 'ACCEPT' }, 'clerk');
    const tokenA = (await api.post('/api/v1/auth/enterprise-token', { applicationNo: a.applicationNo, queryCode: a.queryCode })).body.token;
    const [docA] = await documentsOf(a.id, tokenA);
    const [docB] = await documentsOf(b.id);
    expect((await download(app.url + docA.url, tokenA)).status).to.equal(200);

    expect((await api.get(`/api/v1/applications/${b.id}/documents`, tokenA)).status).to.equal(404);
    expect((await download(app.url + docB.url, tokenA)).status).to.equal(404);
    expect((await download(app.url + docB.url)).status).to.equal(401);
    expect((await download(`${app.url}/api/v1/documents/not-a-document`, tokenA)).status).to.equal(400);
  });

  it('when an issuing effect is run again after it stopped between claiming its number and recording the document, then the number is reused and the next one follows without a gap', async () => {
    const created = await flow.submit(CITY_ITEM);
    await flow.sendOk(created.id, { type: 'ACCEPT' }, 'clerk');
    const [issued] = await documentsOf(created.id);
    const record = await services().store.get(created.id);
    const effect = record!.outbox.find((e) => e.type === 'issueDocument')!;
    expect(documentIdOf(created.id, effect.id)).to.equal(issued.id);
    // The state such a crash leaves: the number is claimed for the document, the document is not recorded.
    await app.runtime.conn.db!.collection('documents').deleteOne({ _id: issued.id as never });

    const again = await issueDocument(record!, effect, services().documentIssuer);
    expect(again.document.number).to.equal(issued.number);
    const next = await flow.submit(CITY_ITEM);
    await flow.sendOk(next.id, { type: 'ACCEPT' }, 'clerk');
    const [following] = await documentsOf(next.id);
    expect(serialOf(following.number)).to.equal(serialOf(issued.number) + 1);
  });

  it('when the special procedures run (容缺, 告知承诺, suspension, extension, denial), then each issues its own instrument with its own details', async () => {
    const deficient = await flow.submit(DEFICIENT_ITEM, { provided: ['M01', 'M02', 'M03', 'M04'] });
    await flow.sendOk(deficient.id, { type: 'ACCEPT_WITH_DEFICIENCY', missing: ['M05', 'M06', 'M07'], promise: promise() }, 'clerk');
    await flow.sendOk(deficient.id, { type: 'SUSPEND', reason: '组织专家评审', expectedWorkingDays: 15 }, 'reviewer');
    await flow.sendOk(deficient.id, { type: 'RESUME' }, 'reviewer');
    await flow.sendOk(deficient.id, { type: 'EXTEND', reason: '情况复杂' }, 'reviewer');
    await flow.sendOk(deficient.id, { type: 'DENY', reason: '储存设施安全评价不合格' }, 'reviewer');
    const docs = await documentsOf(deficient.id);
    expect(docs.map((d) => d.kind)).to.deep.equal(['deficientAcceptance', 'suspension', 'extension', 'denial']);
    expect(docs[0].number).to.match(/^芝应急许容〔2026〕\d+号$/);
    const [deficiencyText, suspensionText, extensionText, denialText] = await Promise.all(docs.map(async (d) => pdfText(await pdfOf(d.url))));
    for (const expected of ['容缺受理通知书', '经营场所产权证明或租赁合同（M05）', '危险化学品事故应急预案（M06）', '从业人员安全教育培训记录（M07）', '王经理', '终止办理']) expect(deficiencyText).to.include(expected);
    for (const expected of ['组织专家评审', '15个工作日', '不计算在行政许可期限内']) expect(suspensionText).to.include(expected);
    expect(extensionText).to.include('情况复杂');
    for (const expected of ['不予行政许可决定书', '储存设施安全评价不合格', '六十日内', '六个月内']) expect(denialText).to.include(expected);

    const pledged = await flow.submit(COUNTY_ITEM, { divisionCode: '370602', provided: ['M01', 'M02', 'M03', 'M06'] });
    const pledgeText = services().pledgeTexts.get('2026-01')!;
    await flow.sendOk(pledged.id, { type: 'ACCEPT_ON_COMMITMENT', pledge: { textVersion: '2026-01', signedBy: '王经理', signedAt: '2026-03-02T10:00:00+08:00' } }, 'clerk');
    const pledgedDocs = await documentsOf(pledged.id);
    expect(pledgedDocs.map((d) => d.kind)).to.deep.equal(['commitment', 'approval', 'certificate']);
    expect(pledgedDocs[0].number).to.match(/^芝应急许承〔2026〕\d+号$/);
    const commitmentText = await pdfText(await pdfOf(pledgedDocs[0].url));
    for (const expected of ['告知承诺书', '零售场所配备必要的消防器材', pledgeText.split(' / ')[0].replace(/\s+/g, ''), '王经理']) expect(commitmentText).to.include(expected);
  });

  it('when any instrument is laid out, then the embedded font has a glyph for every character of its fixed text', () => {
    const fixed = Object.values(INSTRUMENTS).map((d) => d.title.zh).join('') + APPLICANT + '芝罘区莱山区龙口市〔〕（）：；、“”';
    expect(missingGlyphs(fixed)).to.deep.equal([]);
  });
});
