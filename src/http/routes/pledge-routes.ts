import { Router } from 'express';
import { loadPledgeTexts } from '../../catalog/load-pledges';
import type { Services } from '../../services';

/** 告知承诺书 texts (public): what an applicant reads before signing a pledge, by version. */
export function pledgeRoutes(services: Services): Router {
  const router = Router();
  const pledges = [...loadPledgeTexts(services.config.configDir)].map(([version, text]) => ({ version, text }));
  router.get('/catalog/pledges', (_req, res) => {
    res.json({ items: pledges });
  });
  return router;
}
