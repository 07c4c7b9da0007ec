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
