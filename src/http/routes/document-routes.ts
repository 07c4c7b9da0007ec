import type { Response } from 'express';
import Joi from 'joi';
import type { DocumentRecord } from '../../documents/document-store';
import { readDocument } from '../../use-cases/read-documents';
import { E404 } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

/** A PDF response, as the document describes it. */
export const PDF = { description: 'PDF', content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } } };

/** Sends an issued document: the bytes as stored, named by its number, never executed by a browser. */
export function sendPdf(res: Response, { document, bytes }: { document: DocumentRecord; bytes: Buffer }): void {
  res.set({
    'Content-Type': 'application/pdf',
    'Content-Disposition': `inline; filename="${document.id}.pdf"; filename*=UTF-8''${encodeURIComponent(`${document.title}-${document.number}.pdf`)}`,
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'X-Content-Type-Options': 'nosniff',
    ETag: `"${document.sha256}"`,
    'X-Content-SHA256': document.sha256,
  });
  res.send(bytes);
}

const byId = Joi.object<{ id: string }>({ id: Joi.string().pattern(/^doc-[0-9a-f]{24}$/, 'document id').required().description('Document id') });

/** Issued written instruments (行政许可文书), each one PDF. */
export const documentRoutes: RouteGroup = {
  base: '/documents',
  tag: 'documents',
  routes: [
    defineRoute({
      method: 'get',
      path: '/:id',
      summary: '文书下载 / One issued instrument as its PDF (the readers of its application: staff of its jurisdiction, the enterprise holding its token)',
      auth: 'signed-in',
      params: byId,
      responses: { 200: PDF, 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        sendPdf(res, await readDocument(services, principal, params.id));
      },
    }),
  ],
};
