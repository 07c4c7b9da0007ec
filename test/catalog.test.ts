import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { findItem, findJurisdiction, loadCatalog } from '../src/catalog/load-catalog';
import { jurisdictionCovers, routeApplication, RoutingError } from '../src/catalog/routing';
import type { CatalogItem } from '../src/catalog/types';

const CONFIG_DIR = fileURLToPath(new URL('../config', import.meta.url));
const catalog = loadCatalog(CONFIG_DIR);

const shipped = (file: string) => JSON.parse(readFileSync(join(CONFIG_DIR, file), 'utf8'));

function item(code: string): CatalogItem {
  const found = findItem(catalog, code);
  if (!found) throw new Error(`item ${code} missing from the shipped catalog`);
  return found;
}

// Writes a modified copy of the shipped config to a temp dir and returns the load error message.
type RawItem = Record<string, unknown> & { materials: Record<string, unknown>[] };
interface RawFiles {
  catalog: { items: RawItem[] };
  jurisdictions: { jurisdictions: Record<string, unknown>[] };
}

function loadError(mutate: (files: RawFiles) => void): string {
  const files: RawFiles = { catalog: shipped('catalog.json'), jurisdictions: shipped('jurisdictions.json') };
  mutate(files);
  const dir = mkdtempSync(join(tmpdir(), 'catalog-test-'));
  try {
    writeFileSync(join(dir, 'catalog.json'), JSON.stringify(files.catalog));
    writeFileSync(join(dir, 'jurisdictions.json'), JSON.stringify(files.jurisdictions));
    loadCatalog(dir);
  } catch (err) {
    return (err as Error).message;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error('expected loadCatalog to throw');
}

describe('item catalog (实施清单)', () => {
  describe('shipped config', () => {
    it('when config/ is loaded, then every item and jurisdiction is present', () => {
      expect(catalog.items).to.have.length.of.at.least(7);
      expect(catalog.jurisdictions.map((j) => j.code)).to.include.members(
        ['370000', '370600', '370602', '370611', '370613', '370681', '370200', '370202']);
    });

    it('when the flags are inspected, then 容缺, 告知承诺 and 省市联审 each appear and a plain item has none', () => {
      expect(catalog.items.some((i) => i.allowsDeficientAcceptance)).to.equal(true);
      expect(catalog.items.some((i) => i.allowsCommitment)).to.equal(true);
      expect(catalog.items.some((i) => i.jointReview)).to.equal(true);
      expect(catalog.items.some((i) => i.correctionRestartsClock)).to.equal(true);
      const plain = catalog.items.filter((i) => i.process === 'standard-licence'
        && !i.allowsDeficientAcceptance && !i.allowsCommitment && !i.jointReview);
      expect(plain).to.have.length.above(0);
    });

    it('when the bureau licences are looked up, then their levels and statutory figures match DOMAIN.md', () => {
      expect(item('370000-AQ-XK-001')).to.include({ level: 'province', legalLimitDays: 45, validityMonths: 36, renewalWindowMonths: 3 });
      expect(item('370000-AQ-XK-002')).to.include({ level: 'city', legalLimitDays: 30, validityMonths: 36 });
      expect(item('370000-AQ-XK-004')).to.include({ level: 'city', legalLimitDays: 45 });
      expect(item('370000-AQ-XK-005')).to.include({ level: 'city', legalLimitDays: 30 });
      expect(item('370000-AQ-XK-006')).to.include({ level: 'county', legalLimitDays: 20, allowsCommitment: true });
      expect(item('370000-AQ-XK-007')).to.include({ level: 'city', legalLimitDays: 45, validityMonths: 24, renewalWindowMonths: null });
      expect(item('370000-AQ-XK-008')).to.include({ jointReview: true, jointJoinRule: 'all_approve', jointCityLimitDays: 20, jointProvinceLimitDays: 30 });
    });

    it('when every item is checked, then promised ≤ legal, supplement ≤ promised and materials number 4–8', () => {
      for (const i of catalog.items) {
        expect(i.promisedLimitDays, i.code).to.be.at.most(i.legalLimitDays);
        expect(i.supplementDays, i.code).to.be.at.most(i.promisedLimitDays);
        expect(i.materials.length, i.code).to.be.within(4, 8);
      }
    });

    it('when an unknown code is looked up, then findItem and findJurisdiction return undefined', () => {
      expect(findItem(catalog, 'NOPE')).to.equal(undefined);
      expect(findJurisdiction(catalog, '999999')).to.equal(undefined);
      expect(findJurisdiction(catalog, '370681')?.name).to.equal('龙口市');
    });
  });

  describe('broken copies', () => {
    it('when a legal limit is negative, then the error names catalog.json and items[2].legalLimitDays', () => {
      const message = loadError(({ catalog: c }) => { c.items[2].legalLimitDays = -1; });
      expect(message).to.match(/catalog\.json: items\[2\]\.legalLimitDays must be a positive integer/);
    });

    it('when a limit is a string, then it is not coerced and the field is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[1].legalLimitDays = '30'; });
      expect(message).to.contain('items[1].legalLimitDays must be a positive integer');
    });

    it('when the promised limit exceeds the legal limit, then promisedLimitDays is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[0].promisedLimitDays = (c.items[0].legalLimitDays as number) + 1; });
      expect(message).to.contain('items[0].promisedLimitDays must not exceed legalLimitDays');
    });

    it('when the supplement deadline exceeds the promised limit, then supplementDays is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[2].supplementDays = (c.items[2].promisedLimitDays as number) + 1; });
      expect(message).to.contain('items[2].supplementDays must not exceed promisedLimitDays');
    });

    it('when two items share a code, then the duplicate code is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[3].code = c.items[1].code; });
      expect(message).to.contain('items[3].code repeats the code at position 1');
    });

    it('when an item repeats a material code, then the material path is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[0].materials[2].code = 'M01'; });
      expect(message).to.contain('items[0].materials[2].code repeats the code');
    });

    it('when a field is missing or unknown, then each is named', () => {
      const message = loadError(({ catalog: c }) => { delete c.items[4].department; c.items[4].fee = 0; });
      expect(message).to.contain('items[4].department is required');
      expect(message).to.contain('items[4].fee is not allowed');
    });

    it('when a waiver route is not one of the three, then the material field is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[0].materials[1].waivable = 'email'; });
      expect(message).to.contain('items[0].materials[1].waivable must be one of');
    });

    it('when a renewal window is set without a validity period, then renewalWindowMonths is named', () => {
      const message = loadError(({ catalog: c }) => {
        for (const i of c.items) if (i.validityMonths === null) i.renewalWindowMonths = 3;
      });
      expect(message).to.match(/items\[\d+\]\.renewalWindowMonths must be null when validityMonths is null/);
    });

    it('when 容缺受理 is allowed but every material is core, then allowsDeficientAcceptance is named', () => {
      const message = loadError(({ catalog: c }) => {
        c.items[0].allowsDeficientAcceptance = true;
        for (const m of c.items[0].materials) m.core = true;
      });
      expect(message).to.contain('items[0].allowsDeficientAcceptance needs at least one non-core material');
    });

    it('when a province-level item asks for joint review, then jointReview is named', () => {
      const message = loadError(({ catalog: c }) => { c.items[0].jointReview = true; });
      expect(message).to.contain('items[0].jointReview requires level "city"');
    });

    it('when a joint item has no branch limit or one past the promised limit, then the branch field is named', () => {
      const message = loadError(({ catalog: c }) => {
        for (const i of c.items) {
          if (i.jointReview) { i.jointCityLimitDays = 0; i.jointProvinceLimitDays = (i.promisedLimitDays as number) + 1; }
        }
      });
      expect(message).to.match(/items\[\d+\]\.jointCityLimitDays must be a positive integer when jointReview is true/);
      expect(message).to.match(/items\[\d+\]\.jointProvinceLimitDays must not exceed promisedLimitDays/);
    });

    it('when a jurisdiction names a missing parent, then jurisdictions.json and the parent field are named', () => {
      const message = loadError(({ jurisdictions: j }) => { j.jurisdictions[3].parent = '379999'; });
      expect(message).to.match(/jurisdictions\.json: jurisdictions\[3\]\.parent "379999" is not a listed jurisdiction/);
    });

    it('when a county sits under another county, then the parent level is rejected', () => {
      const message = loadError(({ jurisdictions: j }) => { j.jurisdictions[3].parent = '370602'; });
      expect(message).to.contain('jurisdictions[3].parent "370602" is a county');
    });

    it('when the file is not JSON, then the error names the file', () => {
      const dir = mkdtempSync(join(tmpdir(), 'catalog-test-'));
      try {
        writeFileSync(join(dir, 'catalog.json'), '{ "items": [');
        expect(() => loadCatalog(dir)).to.throw(/catalog\.json: invalid JSON/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('routing (一窗受理)', () => {
    it('when a province item is filed in 龙口市, then it goes to 山东省', () => {
      expect(routeApplication(catalog, item('370000-AQ-XK-001'), '370681')).to.deep.equal({
        jurisdiction: '370000', jurisdictionName: '山东省', department: item('370000-AQ-XK-001').department,
      });
    });

    it('when a city item is filed in 芝罘区 or in 烟台市 itself, then it goes to 烟台市', () => {
      expect(routeApplication(catalog, item('370000-AQ-XK-002'), '370602')).to.include({ jurisdiction: '370600', jurisdictionName: '烟台市' });
      expect(routeApplication(catalog, item('370000-AQ-XK-002'), '370600')).to.include({ jurisdiction: '370600' });
      expect(routeApplication(catalog, item('370000-AQ-XK-002'), '370202')).to.include({ jurisdiction: '370200', jurisdictionName: '青岛市' });
    });

    it('when a county item is filed in 福山区, then it stays in 福山区', () => {
      expect(routeApplication(catalog, item('370000-AQ-XK-006'), '370611')).to.include({ jurisdiction: '370611', jurisdictionName: '福山区' });
    });

    it('when the division code is unknown, then a RoutingError with code UNKNOWN_DIVISION is thrown', () => {
      expect(() => routeApplication(catalog, item('370000-AQ-XK-002'), '110105'))
        .to.throw(RoutingError).with.property('code', 'UNKNOWN_DIVISION');
    });

    it('when a county item is filed at city level, then NO_JURISDICTION_AT_LEVEL is thrown', () => {
      expect(() => routeApplication(catalog, item('370000-AQ-XK-006'), '370600'))
        .to.throw(RoutingError).with.property('code', 'NO_JURISDICTION_AT_LEVEL');
    });
  });

  describe('jurisdictionCovers', () => {
    it('when staff and target are the same jurisdiction, then it is covered', () => {
      expect(jurisdictionCovers('370602', '370602', catalog)).to.equal(true);
    });

    it('when the target lies beneath the staff jurisdiction, then it is covered at every height', () => {
      expect(jurisdictionCovers('370600', '370681', catalog)).to.equal(true);
      expect(jurisdictionCovers('370000', '370602', catalog)).to.equal(true);
      expect(jurisdictionCovers('370000', '370200', catalog)).to.equal(true);
    });

    it('when the target is a sibling, a parent or in another city, then it is not covered', () => {
      expect(jurisdictionCovers('370602', '370611', catalog)).to.equal(false);
      expect(jurisdictionCovers('370602', '370600', catalog)).to.equal(false);
      expect(jurisdictionCovers('370600', '370202', catalog)).to.equal(false);
      expect(jurisdictionCovers('370200', '370602', catalog)).to.equal(false);
    });

    it('when the target is unknown, then it is not covered even for the same code', () => {
      expect(jurisdictionCovers('999999', '999999', catalog)).to.equal(false);
    });
  });
});
