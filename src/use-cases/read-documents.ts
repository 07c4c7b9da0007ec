import { coveredJurisdictions, type Principal } from '../auth/access-policy';
import type { CertificateRecord } from '../certificates/certificate-store';
import type { DocumentRecord } from '../documents/document-store';
import { AppError } from '../errors';
import type { Services } from '../services';
import { issuedDocuments } from '../views/document-view';
import { loadReadableApplication } from './read-applications';

type Deps = Pick<Services, 'store' | 'catalog' | 'documents' | 'blobs'>;

const notFound = (id: string) => new AppError('NOT_FOUND', `文书不存在 / Document ${id} not found`);

/** The instruments issued for an application, from its timeline (one `_id` read), for whoever may read it. */
export async function listDocuments(services: Deps, principal: Principal, applicationId: string) {
  return issuedDocuments(await loadReadableApplication(services, principal, applicationId));
}

/** One issued document's record and bytes, for the readers of its application; anyone else is told it does not exist. */
export async function readDocument(services: Deps, principal: Principal, documentId: string): Promise<{ document: DocumentRecord; bytes: Buffer }> {
  const document = await services.documents.get(documentId);
  if (!document) throw notFound(documentId);
  await loadReadableApplication(services, principal, document.applicationId).catch(() => {
    throw notFound(documentId);
  });
  const bytes = await services.blobs.get(document.sha256);
  if (!bytes) throw new AppError('NOT_FOUND', `文书文件缺失 / The file of document ${documentId} is missing from the blob store`);
  return { document, bytes };
}

/** The issued PDF of a certificate: staff of its jurisdiction, or the enterprise whose application it was issued on. */
export async function readCertificatePdf(services: Deps & Pick<Services, 'certificates'>, principal: Principal, number: string) {
  const cert: CertificateRecord | null = await services.certificates.find(number);
  const readable = cert && (principal.kind === 'enterprise'
    ? principal.applicationId === cert.applicationId
    : coveredJurisdictions(principal.jurisdiction, services.catalog).includes(cert.jurisdiction));
  if (!cert || !readable) throw new AppError('NOT_FOUND', `证照不存在 / Certificate ${number} not found`);
  if (!cert.pdf) throw new AppError('NOT_FOUND', `证照文件正在制作，请稍后 / The PDF of certificate ${number} is not issued yet; retry shortly`);
  return readDocument(services, principal, cert.pdf.documentId);
}
