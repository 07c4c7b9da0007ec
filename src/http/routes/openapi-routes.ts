import { json } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

/**
 * The OpenAPI document of this API (public; rendered for people at /api/docs), generated from the route table;
 * the table hands in its own builder (this route is part of it; a dynamic import would load a second copy of the modules).
 */
export const openApiRoutes = (document: () => unknown): RouteGroup => ({
  base: '/',
  tag: 'system',
  routes: [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: '本文档 / This OpenAPI document, generated from the route table',
      auth: 'public',
      responses: { 200: json({ type: 'object' }) },
      handler: ({ res }) => {
        res.json(document());
      },
    }),
  ],
});
