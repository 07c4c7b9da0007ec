import { expect } from 'chai';
import express from 'express';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { usccCheckCharacter, usccProblem } from '../src/domain/identifiers';
import * as usccModule from '../src/domain/uscc.js';
import { serveWeb, USCC_MODULE } from '../src/web/serve-web';

const CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';

describe('the USCC check served to the browser (/assets/uscc.js)', () => {
  let served: string;
  let browser: typeof usccModule;

  before(async () => {
    const server = express().use(serveWeb()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/assets/uscc.js`);
      expect(response.status).to.equal(200);
      expect(response.headers.get('content-type')).to.match(/javascript/);
      served = await response.text();
    } finally {
      server.close();
    }
    // What a browser runs: the served text itself, loaded as an ES module.
    browser = await import(`data:text/javascript;base64,${Buffer.from(served).toString('base64')}`);
  });

  it('when the browser loads /assets/uscc.js, then it gets the very file the server imports for its own check', () => {
    expect(USCC_MODULE).to.match(/src[\\/]domain[\\/]uscc\.js$/);
    expect(served).to.equal(readFileSync(USCC_MODULE, 'utf8'));
    expect(usccCheckCharacter).to.equal(usccModule.usccCheckCharacter);
  });

  it('when the documented valid and invalid codes are typed, then the browser agrees with the server', () => {
    for (const code of ['9144030010001686XA', '91440300192317458F', '91110000710925462X', '91350100M000100Y4Z', '91440300192189148B', '9144030010001686xa', '914403001000168', '']) {
      expect(browser.usccProblem(code) === null, code).to.equal(usccProblem(code) === null);
    }
  });

  it('when 2,000 random bodies are checked, then the browser computes the same check character as the server', () => {
    for (let n = 0; n < 2000; n++) {
      const body = Array.from({ length: 17 }, () => CHARSET[Math.floor(Math.random() * CHARSET.length)]).join('');
      expect(browser.usccCheckCharacter(body), body).to.equal(usccCheckCharacter(body));
    }
  });
});
