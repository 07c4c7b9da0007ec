import { expect } from 'chai';
import { usccCheckCharacter, usccProblem } from '../src/domain/identifiers';
import { usccCheckCharacter as browserCheck, usccProblem as browserProblem } from '../src/web/shared/uscc';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('the browser copy of the USCC check (src/web/shared/uscc.js)', () => {
  it('when the documented valid and invalid codes are typed, then the browser agrees with the server', () => {
    for (const code of ['9144030010001686XA', '91440300192317458F', '91110000710925462X', '91350100M000100Y4Z', '91440300192189148B', '9144030010001686xa', '914403001000168', '']) {
      expect(browserProblem(code) === null, code).to.equal(usccProblem(code) === null);
    }
  });

  it('when 2,000 random bodies are checked, then both copies compute the same check character', () => {
    for (let n = 0; n < 2000; n++) {
      const body = Array.from({ length: 17 }, () => CHARSET[Math.floor(Math.random() * CHARSET.length)]).join('');
      expect(browserCheck(body), body).to.equal(usccCheckCharacter(body));
    }
  });
});
