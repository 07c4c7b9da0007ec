import { createHash } from 'node:crypto';
import { shanghaiDate } from '../calendar';
import { findJurisdiction } from '../catalog/load-catalog';
import type { Catalog, CatalogItem } from '../catalog/types';
import type { CertificateRecord, CertificateStore } from '../certificates/certificate-store';
import { issuingOffice } from '../certificates/issuing-office';
import type { ApplicationRecord, EffectRecord } from '../engine/application-record';
import type { BlobStore } from '../files/blob-store';
import type { DocumentRecord, DocumentStore } from './document-store';
import { INSTRUMENTS, REMEDIES_EN, chineseDate, remediesClause, type InstrumentKind } from './instruments';
import { renderOffThread } from './render-off-thread';

/** How document numbers read when the jurisdiction does not say: 烟应急许受〔2026〕12号. */
export const DEFAULT_NUMBER_FORMAT = '{office}许{kind}〔{year}〕{serial}号';

/** The purpose a certificate's QR token is sealed for (auth/tokens.ts). */
export const CERTIFICATE_CHECK = 'certificate-check';

export interface DocumentIssuerDeps {
  documents: DocumentStore;
  blobs: BlobStore;
  certificates: CertificateStore;
  catalog: Catalog;
  itemOf: (code: string) => CatalogItem;
  pledgeText: (version: string) => string | undefined;
  /** The public check a certificate's QR code opens, with its sealed token. */
  checkUrl: (cert: CertificateRecord) => string;
  warn: (obj: object, msg: string) => void;
}

/** The document an effect issues: the same id however often the effect runs. */
export const documentIdOf = (applicationId: string, effectId: string) =>
  `doc-${createHash('sha256').update(`${applicationId}\n${effectId}`).digest('hex').slice(0, 24)}`;

/** A 文号 by the office's format: office abbreviation, kind, year and serial. */
export function documentNumber(catalog: Catalog, jurisdiction: string, kind: string, year: string, serial: number): string {
  const j = findJurisdiction(catalog, jurisdiction);
  return (j?.documentNumberFormat ?? DEFAULT_NUMBER_FORMAT)
    .replace('{office}', j?.officeAbbreviation ?? j?.name ?? jurisdiction)
    .replace('{kind}', kind)
    .replace('{year}', year)
    .replace('{serial}', String(serial));
}

/**
 * Issues the instrument an `issueDocument` effect names, once: its number is claimed for the document (a retry
 * gets the same one), it is dated the day of the event (Asia/Shanghai), rendered, stored by SHA-256 and recorded.
 */
export async function issueDocument(app: ApplicationRecord, effect: EffectRecord, deps: DocumentIssuerDeps): Promise<{ document: DocumentRecord; certificate: CertificateRecord | null }> {
  const kind = effect.params.kind as InstrumentKind;
  const definition = INSTRUMENTS[kind];
  if (!definition) throw new Error(`unknown instrument kind ${kind}`);
  const id = documentIdOf(app.id, effect.id);
  const certificate = kind === 'certificate' ? await deps.certificates.findByApplication(app.id) : null;
  if (kind === 'certificate' && !certificate) throw new Error(`application ${app.id} has no certificate yet`);
  const existing = await deps.documents.get(id);
  if (existing) return { document: existing, certificate };

  const issuedAt = new Date(effect.createdAt);
  const issuedOn = shanghaiDate(issuedAt);
  const year = issuedOn.slice(0, 4);
  const office = issuingOffice(deps.catalog, app.routing);
  const number = definition.numberKind === null
    ? certificate!.number
    : documentNumber(deps.catalog, app.routing.jurisdiction, definition.numberKind, year,
      await deps.documents.claimSerial(id, `${app.routing.jurisdiction}:${definition.numberKind}:${year}`, issuedAt));
  const item = deps.itemOf(app.itemCode);
  const reviewBody = `${findJurisdiction(deps.catalog, app.routing.jurisdiction)?.name ?? ''}人民政府`;
  const body = definition.body({ app, item, office, reviewBody, event: String(effect.params.event), issuedOn, pledgeText: deps.pledgeText, certificate: certificate ?? undefined });
  const printed = {
    office: office.zh,
    title: definition.title,
    number,
    addressee: kind === 'certificate' ? null : app.applicant.name,
    body,
    remedies: definition.remedies ? { zh: remediesClause(reviewBody), en: REMEDIES_EN } : null,
    date: chineseDate(issuedOn),
    issuedAt,
    footer: `申请编号 ${app.applicationNo} · 文书编号 ${id} · 其 SHA-256 记录于办理过程 / its SHA-256 is recorded in the application's timeline`,
    qr: certificate ? { text: deps.checkUrl(certificate), caption: '扫码核验 / Scan to verify' } : undefined,
  };
  const { bytes, missing } = await renderOffThread(printed);
  if (missing.length) deps.warn({ applicationId: app.id, kind, missing }, 'characters without a glyph in the embedded font');
  const { sha256, size } = await deps.blobs.put(bytes, 'application/pdf');
  const document = await deps.documents.insertOnce({ id, applicationId: app.id, kind, number, title: definition.title.zh, issuedAt, sha256, size });
  return { document, certificate };
}
