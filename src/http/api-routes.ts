import { API_PREFIX } from './api-prefix';
import { eventRegistryVersion } from '../events';
import { buildApiDocument, type MountedGroups } from './api-document';
import { applicationRoutes } from './routes/application-routes';
import { assistanceRoutes } from './routes/assistance-routes';
import { authRoutes } from './routes/auth-routes';
import { catalogRoutes } from './routes/catalog-routes';
import { fileRoutes } from './routes/file-routes';
import { certificateRoutes } from './routes/certificate-routes';
import { documentRoutes } from './routes/document-routes';
import { evaluationRoutes, rectificationRoutes } from './routes/evaluation-routes';
import { openApiRoutes } from './routes/openapi-routes';
import { pledgeRoutes } from './routes/pledge-routes';
import { preReviewRoutes, publicPreReviewRoutes } from './routes/pre-review-routes';
import { processRoutes } from './routes/process-routes';
import { staffRoutes } from './routes/staff-routes';
import { statisticsRoutes } from './routes/statistics-routes';
import { publicRoutes } from './routes/status-routes';
import { systemRoutes } from './routes/system-routes';

export { API_PREFIX };

/** The route table: what the app mounts (in this order) and what the API document describes. */
export const ROUTE_TABLE = {
  system: { prefix: '', groups: [systemRoutes] },
  api: { prefix: API_PREFIX, groups: [authRoutes, catalogRoutes, publicRoutes, publicPreReviewRoutes, assistanceRoutes, applicationRoutes, evaluationRoutes, rectificationRoutes, preReviewRoutes, fileRoutes, documentRoutes, certificateRoutes, statisticsRoutes, staffRoutes, pledgeRoutes, processRoutes, openApiRoutes(() => apiDocument())] },
} satisfies Record<string, MountedGroups>;

let built: { events: number; document: ReturnType<typeof buildApiDocument> } | undefined;

/** The OpenAPI 3.1 document served at /api/v1/openapi.json, built from the route table once per set of registered events. */
export function apiDocument(): ReturnType<typeof buildApiDocument> {
  if (built?.events !== eventRegistryVersion()) built = { events: eventRegistryVersion(), document: buildApiDocument([ROUTE_TABLE.system, ROUTE_TABLE.api]) };
  return built.document;
}
