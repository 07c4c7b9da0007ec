import { findJurisdiction } from '../catalog/load-catalog';
import type { Catalog } from '../catalog/types';
import type { Label } from '../i18n/labels';
import type { CertificateRecord } from './certificate-store';

/** The office that issued a certificate, as its notices name it (expiry reminders, cancellation). */
export function issuingOffice(catalog: Catalog, cert: Pick<CertificateRecord, 'jurisdiction' | 'department'>): Label {
  const jurisdiction = findJurisdiction(catalog, cert.jurisdiction);
  return {
    zh: `${jurisdiction?.name ?? cert.jurisdiction}${cert.department}`,
    en: `the emergency management bureau of ${jurisdiction?.nameEn ?? cert.jurisdiction}`,
  };
}

/** 颁发机构 and its code, as the electronic licence names them; no code when the jurisdiction has no `issuerUscc`. */
export function issuerOf(catalog: Catalog, cert: Pick<CertificateRecord, 'jurisdiction' | 'department'>): { name: string; code: string | null } {
  return { name: issuingOffice(catalog, cert).zh, code: findJurisdiction(catalog, cert.jurisdiction)?.issuerUscc ?? null };
}
