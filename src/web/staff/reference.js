import { staffApi } from './session.js';

const cache = new Map();
const once = (path) => {
  if (!cache.has(path)) cache.set(path, staffApi('GET', path).catch((e) => { cache.delete(path); throw e; }));
  return cache.get(path);
};

/** Reference data every page reads, fetched once per page load: catalog items, the statuses of their processes, jurisdictions. */
export const catalogItems = async () => (await once('/api/v1/catalog/items')).items;
/** Every status an application can have, in chart order: `{status, label, short}` (the server reads them from the process charts). */
export const statuses = async () => (await once('/api/v1/catalog/items')).statuses;
export const jurisdictions = async () => (await once('/api/v1/catalog/jurisdictions')).items;
export const processGraph = (id, version) => once(`/api/v1/processes/${encodeURIComponent(id)}/${encodeURIComponent(version)}/graph`);
