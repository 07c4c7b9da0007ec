import express, { Router } from 'express';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const folder = (name: string) => fileURLToPath(new URL(`./${name}`, import.meta.url));

/** The USCC check the server itself imports (src/domain/uscc.js), served as it is so the browser checks with the same code. */
export const USCC_MODULE = fileURLToPath(new URL('../domain/uscc.js', import.meta.url));

/** PDF.js (pdfjs-dist) as the package ships it: the console previews PDF materials with it, served from this origin. */
export const PDFJS_BUILD = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/build/pdf.min.mjs'));

/** ECharts (echarts) as the package ships it: the statistics page draws its charts with its ES module build, served from this origin. */
export const ECHARTS_BUILD = path.dirname(createRequire(import.meta.url).resolve('echarts/dist/echarts.esm.min.mjs'));

// Files change with the code, not per request: browsers revalidate (ETag) instead of caching blindly.
const serve = (name: string) => express.static(folder(name), { index: 'index.html', maxAge: 0, fallthrough: true });

/** The web consoles as static files: staff at /staff, enterprises at /, the API reference at /api/docs. */
export function serveWeb(): Router {
  const router = Router();
  // A static file like the others (middleware, not an API route), only the one file of src/domain.
  router.use('/assets/uscc.js', (req, res, next) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || req.path !== '/') return next();
    res.sendFile(USCC_MODULE, { maxAge: 0 }, (e) => e && next(e));
  });
  // The fonts PDF.js draws a document's non-embedded standard fonts with sit beside its build folder.
  router.use('/assets/vendor/pdfjs/standard_fonts', express.static(path.join(PDFJS_BUILD, '..', 'standard_fonts'), { index: false, maxAge: 0 }));
  router.use('/assets/vendor/pdfjs', express.static(PDFJS_BUILD, { index: false, maxAge: 0 }));
  router.use('/assets/vendor/echarts', express.static(ECHARTS_BUILD, { index: false, maxAge: 0 }));
  router.use('/assets', serve('shared'));
  router.use('/staff', serve('staff'));
  router.use('/api/docs', serve('docs'));
  router.use('/', serve('public'));
  return router;
}
