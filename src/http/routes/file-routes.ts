import { create as contentDisposition } from 'content-disposition';
import Joi from 'joi';
import { MATERIAL_TYPES, showsInline } from '../../files/content-type';
import type { FileRecord } from '../../files/file-store';
import { listMaterialFiles, readMaterialFile, uploadMaterialFile } from '../../use-cases/material-files';
import { E404, E409, E413, E415, arr, json, obj, ref, str } from '../api-schemas';
import { multipartBody, uploadsOf } from '../multipart';
import { defineRoute, type RouteGroup } from '../route-table';

const materialCode = Joi.string().pattern(/^[A-Za-z0-9_-]{1,32}$/, 'material code');
const byMaterial = Joi.object<{ id: string; code: string }>({ id: Joi.string().max(64).required().description('Application id'), code: materialCode.required().description('Material code of the item, e.g. M01') });
const byApplication = Joi.object<{ id: string }>({ id: Joi.string().max(64).required().description('Application id') });
const byFile = Joi.object<{ fileId: string }>({ fileId: Joi.string().max(64).required().description('File id, from the upload or the list') });

/** A file's metadata as the API shows it (whitelisted fields). */
export const toFileView = (f: FileRecord) => ({
  fileId: f.id,
  material: f.material,
  name: f.name,
  contentType: f.contentType,
  size: f.size,
  sha256: f.sha256,
  version: f.version,
  uploadedAt: f.at,
  uploadedBy: { kind: f.by.kind, name: f.by.name, ...(f.by.role ? { role: f.by.role } : {}) },
});

// The only page content a served file may have: nothing runs, nothing loads, and the sandbox gives it no origin.
const FILE_CSP = "default-src 'none'; sandbox";

/** Files of the materials (申请材料): upload, list by material, download. */
export const fileRoutes: RouteGroup = {
  base: '/',
  tag: 'files',
  routes: [
    defineRoute({
      method: 'post',
      path: '/applications/:id/materials/:code/files',
      summary: '上传材料文件 / Upload a file to a material (the window clerk, or the applicant with its token, while the application takes materials)',
      description: 'multipart/form-data with the file in the part `file`. The type is read from the content: PDF, JPEG, PNG or OFD (a ZIP holding `OFD.xml`), anything else is 415. Over `UPLOAD_MAX_FILE_MB` per file or `UPLOAD_MAX_APPLICATION_MB` per application is 413, and nothing is stored. Uploading to a material again adds a new version; the older ones are kept. Applications take materials while submitted, in correction, accepted with missing materials or approved awaiting them (409 otherwise).',
      auth: 'signed-in',
      params: byMaterial,
      use: (services) => [multipartBody(services.config, { maxFiles: 1, fields: 0 })],
      multipart: {
        schema: obj({ file: str('The file; its name (UTF-8, 中文 kept) is shown to readers', { format: 'binary' }) }, ['file']),
        encoding: { file: { contentType: Object.keys(MATERIAL_TYPES).join(', ') } },
      },
      responses: { 201: json(ref('MaterialFile'), 'Created'), 404: E404, 409: E409, 413: E413, 415: E415 },
      handler: async ({ services, req, res, principal, params }) => {
        const upload = uploadsOf(req).find((u) => u.field === 'file');
        const file = await uploadMaterialFile(services, principal, params.id, params.code, upload);
        res.status(201).json(toFileView(file));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/applications/:id/files',
      summary: '申请的材料文件 / The files of an application by material, newest version first',
      auth: 'signed-in',
      params: byApplication,
      responses: { 200: json(obj({ materials: arr(obj({ code: str(), files: arr(ref('MaterialFile')) })) })), 404: E404 },
      handler: async ({ services, res, principal, params }) => {
        const materials = await listMaterialFiles(services, principal, params.id);
        res.json({ materials: materials.map((m) => ({ code: m.code, files: m.files.map(toFileView) })) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/files/:fileId',
      summary: '下载材料文件 / The bytes of a file (readers of its application; anyone else 404)',
      description: '`Content-Disposition: attachment`, or `inline` for PDF and images, served with `X-Content-Type-Options: nosniff` and a Content-Security-Policy that runs nothing (`sandbox`).',
      auth: 'signed-in',
      params: byFile,
      responses: {
        200: {
          description: 'The bytes as uploaded',
          content: Object.fromEntries(Object.keys(MATERIAL_TYPES).map((type) => [type, { schema: str(undefined, { format: 'binary' }) }])),
          headers: {
            'Content-Disposition': { schema: str('attachment, or inline for PDF and images; filename* keeps 中文 names') },
            ETag: { schema: str('The SHA-256 of the bytes, quoted') },
          },
        },
        404: E404,
      },
      handler: async ({ services, res, principal, params }) => {
        const { file, bytes } = await readMaterialFile(services, principal, params.fileId);
        res.setHeader('Content-Type', file.contentType);
        res.setHeader('Content-Length', String(bytes.length));
        res.setHeader('Content-Disposition', contentDisposition(file.name, { type: showsInline(file.contentType) ? 'inline' : 'attachment' }));
        res.setHeader('Content-Security-Policy', FILE_CSP);
        res.setHeader('X-Content-Type-Options', 'nosniff');
        res.setHeader('Cache-Control', 'private, no-cache');
        res.setHeader('ETag', `"${file.sha256}"`);
        res.end(bytes);
      },
    }),
  ],
};
