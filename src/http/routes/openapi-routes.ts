import { json } from '../api-schemas';
import { defineRoute, type RouteGroup } from '../route-table';

/** The OpenAPI document of this API (public; rendered for people at /api/docs), generated from the route table. */
export const openApiRoutes: RouteGroup = {
  base: '/',
  tag: 'system',
  routes: [
    defineRoute({
      method: 'get',
      path: '/openapi.json',
      summary: '本文档 / This OpenAPI document, generated from the route table',
      auth: 'public',
      responses: { 200: json({ type: 'object' }) },
      handler: async ({ res }) => {
        // Imported here: the document is built from the table this route is part of.
        const { apiDocument } = await import('../api-routes');
        res.json(apiDocument());
      },
    }),
  ],
};
