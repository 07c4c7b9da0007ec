import path from 'node:path';
import { mayRead, uploadRefusal, type Principal } from '../auth/access-policy';
import type { CatalogItem } from '../catalog/types';
import type { Actor, ApplicationRecord } from '../engine/application-record';
import { AppError } from '../errors';
import { sha256Of } from '../files/blob-store';
import { materialTypeOf, type MaterialType } from '../files/content-type';
import { MIB, type FileRecord, type Upload } from '../files/file-store';
import type { Services } from '../services';
import { loadReadableApplication } from './read-applications';
import { actorOf } from './send-event';

export type FileDeps = Pick<Services, 'store' | 'catalog' | 'itemOf' | 'files' | 'blobs' | 'config' | 'now'>;

/** A file checked and ready to store: its material, its name and its type read from the content. */
export interface CheckedUpload {
  material: string;
  name: string;
  contentType: MaterialType;
  bytes: Buffer;
}

/** A file name as people read it: no folders, no control characters, at most 200 characters. */
export function cleanFileName(name: string): string {
  // eslint-disable-next-line no-control-regex
  const base = path.basename(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '').normalize('NFC').trim();
  return (base || 'file').slice(-200);
}

/** Checks one upload of a material: the type from its content (415), the material among the item's (400). */
export async function checkUpload(item: Pick<CatalogItem, 'code' | 'materials'>, material: string, upload: Upload): Promise<CheckedUpload> {
  if (!item.materials.some((m) => m.code === material)) {
    const message = `事项 ${item.code} 无此材料 / Item ${item.code} has no material ${material}`;
    throw new AppError('VALIDATION_FAILED', message, [{ field: 'code', message }]);
  }
  const name = cleanFileName(upload.name);
  return { material, name, contentType: await materialTypeOf(upload.bytes, name), bytes: upload.bytes };
}

/** The per-application limit in bytes; a set of uploads over it is refused before anything is created. */
export function assertWithinApplicationLimit(services: Pick<Services, 'config'>, uploads: { bytes: Buffer }[]): void {
  const total = uploads.reduce((sum, u) => sum + u.bytes.length, 0);
  if (total > services.config.uploadMaxApplicationMb * MIB) {
    throw new AppError('PAYLOAD_TOO_LARGE', `本申请的文件合计超过 ${services.config.uploadMaxApplicationMb} MiB / The files of this application would exceed ${services.config.uploadMaxApplicationMb} MiB in all`);
  }
}

/** Stores a checked file of an application: its metadata claims a version and the application's budget first, then the bytes are kept. */
export function storeFile(services: FileDeps, app: Pick<ApplicationRecord, 'id'>, file: CheckedUpload, by: Actor): Promise<FileRecord> {
  return services.files.add(
    { applicationId: app.id, material: file.material, name: file.name, contentType: file.contentType, size: file.bytes.length, sha256: sha256Of(file.bytes), by },
    {
      maxApplicationBytes: services.config.uploadMaxApplicationMb * MIB,
      now: services.now(),
      storeBytes: () => services.blobs.put(file.bytes, file.contentType),
    },
  );
}

/**
 * Uploads a file to one material of an application: staff of its window or the applicant (its token) may, while the
 * application takes materials. Anyone who may not read the application gets 404, as if it did not exist.
 */
export async function uploadMaterialFile(services: FileDeps, principal: Principal, applicationId: string, material: string, upload: Upload | undefined): Promise<FileRecord> {
  const app = await loadReadableApplication(services, principal, applicationId);
  const refusal = uploadRefusal(principal, app, services.catalog);
  if (refusal?.code === 'FORBIDDEN') throw new AppError('FORBIDDEN', `无权上传材料 / Not permitted: ${refusal.reason}`);
  if (refusal) throw new AppError('PRECONDITION_FAILED', `当前状态“${app.status}”不接收材料 / Not now: ${refusal.reason}`, { status: app.status });
  if (!upload) throw new AppError('VALIDATION_FAILED', '请以 multipart/form-data 上传，文件字段名为 file / Send multipart/form-data with the file in the part named file', [{ field: 'file', message: 'required' }]);
  const checked = await checkUpload(services.itemOf(app.itemCode), material, upload);
  return storeFile(services, app, checked, actorOf(principal));
}

/** An application's files by material (in the item's order), newest version first. */
export async function listMaterialFiles(services: FileDeps, principal: Principal, applicationId: string) {
  const app = await loadReadableApplication(services, principal, applicationId);
  const files = await services.files.forApplication(app.id);
  return app.materials.map((m) => ({
    code: m.code,
    files: files.filter((f) => f.material === m.code).sort((a, b) => b.version - a.version),
  }));
}

/** A file and its bytes for a reader of its application; anyone else, and a file whose bytes are gone, gets 404. */
export async function readMaterialFile(services: FileDeps, principal: Principal, fileId: string): Promise<{ file: FileRecord; bytes: Buffer }> {
  const notFound = new AppError('NOT_FOUND', `文件不存在 / File ${fileId} not found`);
  const file = await services.files.get(fileId);
  if (!file) throw notFound;
  const app = await services.store.get(file.applicationId);
  if (!app || !mayRead(principal, app, services.catalog)) throw notFound;
  const bytes = await services.blobs.get(file.sha256);
  if (!bytes) throw notFound;
  return { file, bytes };
}
