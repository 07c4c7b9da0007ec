import { DOCUMENT_ISSUED } from '../events/system-events';
import { INSTRUMENTS, isInstrumentKind } from '../documents/instruments';
import type { ApplicationRecord } from '../engine/application-record';
import { API_PREFIX } from '../http/api-prefix';

/** Where a document is downloaded. */
export const documentUrl = (id: string) => `${API_PREFIX}/documents/${encodeURIComponent(id)}`;

/** The instruments issued for an application, oldest first, read from its timeline's DOCUMENT_ISSUED entries. */
export function issuedDocuments(app: Pick<ApplicationRecord, 'timeline'>) {
  return app.timeline
    .filter((t) => t.event === DOCUMENT_ISSUED && t.data)
    .map((t) => {
      const data = t.data as { documentId: string; kind: string; number: string; sha256: string; issuedAt?: string };
      return {
        id: data.documentId,
        kind: data.kind,
        title: isInstrumentKind(data.kind) ? INSTRUMENTS[data.kind].title : { zh: data.kind, en: data.kind },
        number: data.number,
        issuedAt: data.issuedAt ?? new Date(t.at).toISOString(),
        sha256: data.sha256,
        url: documentUrl(data.documentId),
      };
    });
}
