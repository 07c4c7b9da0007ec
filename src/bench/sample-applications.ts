import { randomInt } from 'node:crypto';
import { usccCheckCharacter } from '../domain/identifiers';

// Sample input for the bench and the soak; the tests use the same (test/helpers re-export it), since src/ must not import test/.

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** A valid USCC registered in `division` that no other test uses, so credit records of one test never reach another. */
export function freshUscc(division = '370602'): string {
  const body = `91${division}${Array.from({ length: 9 }, () => USCC_CHARS[randomInt(USCC_CHARS.length)]).join('')}`;
  return body + usccCheckCharacter(body);
}

/** A valid application body for an item (materials: every core one provided unless told otherwise). */
export function applicationBody(itemCode: string, overrides: { uscc?: string; divisionCode?: string; materials?: { code: string; provided: boolean }[]; email?: string; mobile?: string } = {}) {
  return {
    itemCode,
    applicant: {
      name: '烟台市芝罘区安达化工贸易有限公司',
      uscc: overrides.uscc ?? '91370602MA3C4R1N3E',
      divisionCode: overrides.divisionCode ?? '370602',
      contact: { name: '王经理', phone: '0535-6612345', email: overrides.email ?? 'wang@anda-chem.example', ...(overrides.mobile ? { mobile: overrides.mobile } : {}) },
    },
    materials: overrides.materials ?? [{ code: 'M01', provided: true }, { code: 'M02', provided: true }],
    channel: 'window',
  };
}
