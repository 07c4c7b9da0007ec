import express, { Router } from 'express';
import { fileURLToPath } from 'node:url';

const folder = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The USCC check the server itself imports (src/domain/uscc.js), served as it is so the browser checks with the same code. */
export const USCC_MODULE = fileURLToPath(new URL('../domain/uscc.js', import.meta.url));

// Files change with the code, not per request: browsers revalidate (ETag) instead of caching blindly.
const serve = (name: string) => express.static(folder(name), { index: 'index.html', maxAge: 0, fallthrough: true });

/** The web consoles as static files: staff at /staff, enterprises at /, the API reference at /api/docs. */
export function serveWeb(): Router {
  const router = Router();
  router.get('/assets/uscc.js', (_req, res, next) => res.sendFile(USCC_MODULE, { maxAge: 0 }, (e) => e && next(e)));
  router.use('/assets', serve('shared'));
  router.use('/staff', serve('staff'));
  router.use('/api/docs', serve('docs'));
  router.use('/', serve('public'));
  return router;
}
