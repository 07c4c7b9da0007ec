import type { CatalogItem, ChangeableField } from '../catalog/types';
import type { CertificateChanges } from '../engine/application-record';
import { AppError } from '../errors';
import type { ApplicationStore } from '../store/application-store';
import { effectiveStatus } from './certificate-view';
import type { CertificateRecord, CertificateStore } from './certificate-store';
import { changesInProgress, renewalsInProgress } from './renewal';

/** The field names of a change and what each sets on the certificate's holder. */
export const HOLDER_FIELD: Record<ChangeableField, 'name' | 'principal' | 'address'> = { holderName: 'name', principal: 'principal', address: 'address' };

/**
 * Checks that `number` may be changed (变更) by this applicant for this item today: same holder and item, only the
 * details the item lets a change touch, the certificate still in force, and no other change or renewal waiting.
 */
export async function assertChangeable(
  deps: { certificates: CertificateStore; store: ApplicationStore },
  item: CatalogItem,
  uscc: string,
  number: string,
  changes: CertificateChanges,
  today: string,
): Promise<CertificateRecord> {
  const fields = Object.keys(changes) as ChangeableField[];
  if (!fields.length) throw invalid('changes', '变更申请须写明变更事项 / A change application names at least one detail to change');
  for (const field of fields) {
    if (!item.changeableFields.includes(field)) {
      throw invalid(`changes.${field}`, `事项 ${item.code} 不能变更 ${field}，须重新申请 / Item ${item.code} does not allow a change of ${field}; apply anew (changeable: ${item.changeableFields.join(', ')})`);
    }
  }
  const cert = await deps.certificates.find(number);
  if (!cert || cert.holder.uscc !== uscc) throw invalid('changeOf', `该申请人名下无证照 ${number} / No certificate ${number} held by ${uscc}`);
  if (cert.itemCode !== item.code) {
    throw invalid('changeOf', `证照 ${number} 属于事项 ${cert.itemCode}，不能按 ${item.code} 变更 / Certificate ${number} is for item ${cert.itemCode}, not ${item.code}`);
  }
  const status = effectiveStatus(cert, today);
  if (status !== 'valid') throw refused(`证照 ${number} 状态为 ${status}，不能变更 / Certificate ${number} is ${status} and cannot be changed`, { status });
  const pending = (await changesInProgress(deps.store, [number])).get(number) ?? (await renewalsInProgress(deps.store, [number])).get(number);
  if (pending) {
    throw refused(`证照 ${number} 已有申请 ${pending.applicationNo} 在办 / An application on ${number} is already in progress: ${pending.applicationNo}`, { applicationNo: pending.applicationNo });
  }
  return cert;
}

const invalid = (field: string, message: string) => new AppError('VALIDATION_FAILED', message, [{ field, message }]);
const refused = (message: string, details: Record<string, unknown>) => new AppError('PRECONDITION_FAILED', message, details);
