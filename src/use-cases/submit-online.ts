import { findItem } from '../catalog/load-catalog';
import type { Actor } from '../engine/application-record';
import type { FileRecord, Upload } from '../files/file-store';
import { assertWithinApplicationLimit, checkUpload, storeFile, type FileDeps } from './material-files';
import { submitApplication, type SubmitApplicationInput } from './submit-application';

type SubmitDeps = Parameters<typeof submitApplication>[0] & FileDeps;

/**
 * 不见面审批 with files: every file is checked (type, material, limits) before the application is created, so a bad
 * file creates nothing; then the application is submitted and its files are stored. A material with a file is provided.
 */
export async function submitOnline(
  services: SubmitDeps,
  input: Omit<SubmitApplicationInput, 'channel'>,
  uploads: { material: string; upload: Upload }[],
  actor: Actor,
  made?: Parameters<typeof submitApplication>[3],
): Promise<{ application: Awaited<ReturnType<typeof submitApplication>>['application']; queryCode: string; files: FileRecord[] }> {
  const item = findItem(services.catalog, input.itemCode);
  // An unknown item is refused by the submission itself, before anything is created.
  const checked = item ? await Promise.all(uploads.map((u) => checkUpload(item, u.material, u.upload))) : [];
  assertWithinApplicationLimit(services, checked);
  const withFiles = new Set(checked.map((c) => c.material));
  const listed = new Set(input.materials.map((m) => m.code));
  const materials = [
    ...input.materials.map((m) => ({ ...m, provided: m.provided || withFiles.has(m.code) })),
    ...[...withFiles].filter((code) => !listed.has(code)).map((code) => ({ code, provided: true })),
  ];
  const { application, queryCode } = await submitApplication(services, { ...input, materials, channel: 'online' }, actor, made);
  const files: FileRecord[] = [];
  for (const file of checked) files.push(await storeFile(services, application, file, actor));
  return { application, queryCode, files };
}
