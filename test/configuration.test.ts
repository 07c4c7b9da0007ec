import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import { describeSettings, loadConfig } from '../src/config/app-config';

describe('configuration', () => {
  it('when a setting exists, then the README documents its variable', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const missing = describeSettings().map((s) => s.env).filter((env) => !readme.includes(`| \`${env}\` |`));
    expect(missing).to.deep.equal([]);
  });

  it('when a value is invalid, then the start stops naming the variable', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).to.throw(/METRICS_TOKEN/);
    expect(() => loadConfig({ TRUST_PROXY: 'loopback; rm -rf' })).to.throw(/TRUST_PROXY/);
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).to.equal('1');
  });
});
