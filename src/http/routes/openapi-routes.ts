import { Router } from 'express';
import { openApiDocument } from '../openapi';

/** The OpenAPI document of this API (public; rendered for people at /api/docs). */
export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
