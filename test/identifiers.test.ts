import { expect } from 'chai';
import { hasValidMod37_36Check, isValidResidentId, isValidUscc, mod37_36CheckCharacter, usccCheckCharacter, usccProblem } from '../src/domain/identifiers';

// Yantai fixtures generated with usccCheckCharacter (their organisation codes also carry a valid GB 11714 check).
const YANTAI_USCC = [
  '91370602MA3C4R1N3E', '91370602165012341M', '91370602MA7K2P8Q0U',
  '91370681165234171X', '91370681MA94HX3T6N', '91370611MA3NQ6L21U', '91370613MA3PWD7K3T',
];

describe('identifiers', () => {
  describe('统一社会信用代码 (GB 32100-2015)', () => {
    it('when given the published valid vectors, then each is valid with no problem', () => {
      for (const code of ['9144030010001686XA', '91440300192317458F', '91110000710925462X']) {
        expect(isValidUscc(code), code).to.equal(true);
        expect(usccProblem(code), code).to.equal(null);
      }
    });

    it('when given the Yantai fixtures, then each is valid', () => {
      for (const code of YANTAI_USCC) expect(isValidUscc(code), code).to.equal(true);
    });

    it('when the code contains Z, then the bad character and its position are reported', () => {
      expect(isValidUscc('91350100M000100Y4Z')).to.equal(false);
      expect(usccProblem('91350100M000100Y4Z')).to.contain('第18位').and.contain("Character 18 'Z' is not allowed");
    });

    it('when the check character is wrong, then the expected one is named', () => {
      expect(isValidUscc('91440300192189148B')).to.equal(false);
      expect(usccProblem('91440300192189148B')).to.contain('应为“W”').and.contain("should be 'W', got 'B'");
    });

    it('when the length is wrong, then the actual length is reported', () => {
      expect(usccProblem('9144030010001686X')).to.contain('18位').and.contain('got 17');
      expect(usccProblem('')).to.contain('got 0');
    });

    it('when letters are lower case, then the message asks for upper case', () => {
      expect(usccProblem('9144030010001686xa')).to.contain('use upper case');
    });

    it('when the division positions 3–8 hold a letter, then the division is reported', () => {
      const body = '91A4030010001686X';
      expect(usccProblem(body + usccCheckCharacter(body))).to.contain('Characters 3–8');
    });

    it('when the weighted sum is a multiple of 31, then 31 − 0 = 31 maps to check character 0', () => {
      expect(usccCheckCharacter('0'.repeat(17))).to.equal('0');
      expect(isValidUscc(`${'0'.repeat(17)}0`)).to.equal(true);
    });

    it('when the body has an invalid character, then usccCheckCharacter throws', () => {
      expect(() => usccCheckCharacter('91370602MA3C4R1NO')).to.throw(/position 17/);
      expect(() => usccCheckCharacter('9137')).to.throw(/17 characters/);
    });
  });

  describe('公民身份号码 (GB 11643-1999)', () => {
    it('when given the published valid vector, then it is valid', () => {
      expect(isValidResidentId('11010519491231002X')).to.equal(true);
    });

    it('when the check character, the format or the birth date is wrong, then it is invalid', () => {
      expect(isValidResidentId('110105194912310021')).to.equal(false);
      expect(isValidResidentId('11010519491231002x')).to.equal(false);
      expect(isValidResidentId('1101051949123100')).to.equal(false);
      expect(isValidResidentId('110105194902300027')).to.equal(false);
    });
  });

  describe('ISO 7064 MOD 37,36 (the check character of a 证照标识)', () => {
    it('when given vectors worked by hand from the standard\'s recursion, then it gives their check characters', () => {
      // p0 = 36; s = (p + a) mod 36, 0 read as 36; p = 2s mod 37; check = (37 - p) mod 36.
      // "0": s = 36, p = 35, check 2 → '2'. "A" (10): s = 10, p = 20, check 17 → 'H'. "AA": then s = 30, p = 23, check 14 → 'E'.
      expect(mod37_36CheckCharacter('0')).to.equal('2');
      expect(mod37_36CheckCharacter('A')).to.equal('H');
      expect(mod37_36CheckCharacter('AA')).to.equal('E');
    });

    it('when given the ISAN root of the standard\'s published example, then its check character is Q', () => {
      // ISO 15706 uses MOD 37,36: ISAN 0000-0000-D07A-0090-Q-….
      expect(mod37_36CheckCharacter('0000-0000-D07A-0090')).to.equal('Q');
    });

    it('when any one character of an identifier is changed or two neighbours are swapped, then the check fails', () => {
      const id = '1.2.156.3005.2.370000AQXK004.11370600MB28511723.2026000001.001';
      const full = `${id}.${mod37_36CheckCharacter(id)}`;
      expect(hasValidMod37_36Check(full)).to.equal(true);
      const chars = full.replace(/[^0-9A-Z]/g, '');
      for (let i = 0; i < chars.length; i++) {
        const changed = chars.slice(0, i) + (chars[i] === '7' ? '8' : '7') + chars.slice(i + 1);
        expect(hasValidMod37_36Check(changed), changed).to.equal(false);
        if (i + 1 < chars.length && chars[i] !== chars[i + 1]) {
          expect(hasValidMod37_36Check(chars.slice(0, i) + chars[i + 1] + chars[i] + chars.slice(i + 2)), `swap at ${i}`).to.equal(false);
        }
      }
    });
  });
});
