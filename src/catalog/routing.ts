import { findJurisdiction } from './load-catalog';
import type { Catalog, CatalogItem, Jurisdiction } from './types';

/** Why an application could not be routed; `code` is stable for callers and API responses. */
export class RoutingError extends Error {
  constructor(
    readonly code: 'UNKNOWN_DIVISION' | 'NO_JURISDICTION_AT_LEVEL',
    message: string,
  ) {
    super(message);
    this.name = 'RoutingError';
  }
}

const LEVEL_ZH: Record<CatalogItem['level'], string> = { province: '省', city: '市', county: '县' };

/** Where an application is handled. */
export interface Route {
  jurisdiction: string;
  jurisdictionName: string;
  department: string;
}

// Validated parents always climb a level, so the walk ends; the bound guards unvalidated catalogs.
function ancestry(catalog: Catalog, start: Jurisdiction): Jurisdiction[] {
  const chain = [start];
  for (let j = start; j.parent !== null && chain.length <= catalog.jurisdictions.length; ) {
    const parent = findJurisdiction(catalog, j.parent);
    if (!parent) break;
    chain.push(parent);
    j = parent;
  }
  return chain;
}

/**
 * Routes an application (一窗受理) to the jurisdiction at the item's level that contains the
 * applicant's division: 'province' → its province, 'city' → its city, 'county' → the county itself.
 * `department` is the item's department name as catalogued (without the place name).
 * Throws RoutingError 'UNKNOWN_DIVISION' for a division not in the catalog, and
 * 'NO_JURISDICTION_AT_LEVEL' when the division has no jurisdiction at that level (e.g. a city for a county item).
 */
export function routeApplication(catalog: Catalog, item: CatalogItem, divisionCode: string): Route {
  const division = findJurisdiction(catalog, divisionCode);
  if (!division) {
    throw new RoutingError('UNKNOWN_DIVISION', `未知的行政区划代码 ${divisionCode} / Unknown administrative division ${divisionCode}`);
  }
  const target = ancestry(catalog, division).find((j) => j.level === item.level);
  if (!target) {
    throw new RoutingError(
      'NO_JURISDICTION_AT_LEVEL',
      `${division.name}（${divisionCode}）没有${LEVEL_ZH[item.level]}级实施机关办理“${item.name}” / ` +
        `Division ${divisionCode} has no ${item.level}-level jurisdiction for item ${item.code}`,
    );
  }
  return { jurisdiction: target.code, jurisdictionName: target.name, department: item.department };
}

/**
 * True when `target` is the staff member's jurisdiction or lies beneath it via parents.
 * Unknown target codes are never covered, so access checks fail closed.
 */
export function jurisdictionCovers(staffJurisdiction: string, target: string, catalog: Catalog): boolean {
  const start = findJurisdiction(catalog, target);
  return start !== undefined && ancestry(catalog, start).some((j) => j.code === staffJurisdiction);
}
