import { expect } from 'chai';
import { isValidResidentId, isValidUscc, usccCheckCharacter, usccProblem } from '../src/domain/identifiers';

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
});
