import type { CatalogItem } from '../catalog/types';
import { mod37_36CheckCharacter } from '../domain/identifiers';
import type { CertificateRecord, LicenceFields } from './certificate-store';

/** The national platform's root of licence identifiers (证照标识). */
const LICENCE_ROOT = '1.2.156.3005.2';

/** 证照标识: `1.2.156.3005.2.<type code>.<issuer USCC>.<serial>.<version, 3 digits>.<ISO 7064 MOD 37,36 check>`. */
export function licenceIdentifier(parts: { typeCode: string; issuerCode: string; serial: string; version: number }): string {
  const body = `${LICENCE_ROOT}.${parts.typeCode}.${parts.issuerCode}.${parts.serial}.${String(parts.version).padStart(3, '0')}`;
  return `${body}.${mod37_36CheckCharacter(body)}`;
}

/** 证照类型代码 of an item: its catalog setting, else its code without the dashes. */
export const licenceTypeCode = (item: CatalogItem) => item.licenceTypeCode ?? item.code.replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/**
 * The licence fields of a new certificate numbered `number` (`<prefix>-<year>-<seq>`): a change (变更) keeps the old
 * serial with the next version; a renewal gets its own serial. Both carry the previous identifier.
 */
export function licenceFieldsFor(
  number: string, item: CatalogItem, issuer: { name: string; code: string | null }, previous: { changed: CertificateRecord | null; renewed: CertificateRecord | null },
): LicenceFields | null {
  if (!issuer.code) return null;
  const before = previous.changed?.licence ?? null;
  const serial = before?.serial ?? number.split('-').slice(-2).join('');
  const version = before ? before.version + 1 : 1;
  const typeCode = licenceTypeCode(item);
  return {
    id: licenceIdentifier({ typeCode, issuerCode: issuer.code, serial, version }),
    typeCode,
    serial,
    version,
    previousId: (previous.changed ?? previous.renewed)?.licence?.id ?? null,
    issuer: { name: issuer.name, code: issuer.code },
  };
}
