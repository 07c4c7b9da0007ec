import express, { Router } from 'express';
import { fileURLToPath } from 'node:url';

const folder = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

// Files change with the code, not per request: browsers revalidate (ETag) instead of caching blindly.
const serve = (name: string) => express.static(folder(name), { index: 'index.html', maxAge: 0, fallthrough: true });

/** The web consoles as static files: staff at /staff, enterprises at /, the API reference at /api/docs. */
export function serveWeb(): Router {
  const router = Router();
  router.use('/assets', serve('shared'));
  router.use('/staff', serve('staff'));
  router.use('/api/docs', serve('docs'));
  router.use('/', serve('public'));
  return router;
}
