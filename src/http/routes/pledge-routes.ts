import { loadPledgeTexts } from '../../catalog/load-pledges';
import { arr, json, obj, str } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

// Read on the first request, once per service: the start has already checked these files (loadReferenceData).
const pledgesOf = new WeakMap<object, { version: string; text: string }[]>();

/** 告知承诺书 texts (public): what an applicant reads before signing a pledge, by version. */
export const pledgeRoutes: RouteGroup = {
  base: '/',
  tag: 'catalog',
  routes: [
    defineRoute({
      method: 'get',
      path: '/catalog/pledges',
      summary: '告知承诺书文本 / Pledge texts by version',
      auth: 'public',
      responses: { 200: json(obj({ items: arr(obj({ version: str(), text: str() })) })) },
      handler: ({ services, res }) => {
        let pledges = pledgesOf.get(services);
        if (!pledges) pledgesOf.set(services, (pledges = [...loadPledgeTexts(services.config.configDir)].map(([version, text]) => ({ version, text }))));
        res.json({ items: pledges });
      },
    }),
  ],
};
