import { isDeepStrictEqual } from 'node:util';
import { E400, E401, E403, RESPONSE_SCHEMAS, ref } from './api-schemas';
import { jsonSchemaOf } from './json-schema';
import { isUnionBody, type JsonSchema, type RouteDefinition, type RouteGroup } from './route-table';

/** Route groups mounted below one path prefix (`/api/v1`, or the root for health and metrics). */
export interface MountedGroups {
  prefix: string;
  groups: RouteGroup[];
}

const joinPath = (...parts: string[]) => (`/${parts.join('/')}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1'));
/** An Express path (`/a/:id`) as an OpenAPI path template (`/a/{id}`). */
export const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

/** The path or query parameters of a joi object schema, one OpenAPI parameter per key. */
function parametersOf(where: 'path' | 'query', schema: RouteDefinition['params']): JsonSchema[] {
  if (!schema) return [];
  const json = jsonSchemaOf(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, { description, ...property }]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: property,
    ...(description ? { description } : {}),
  }));
}

/** Builds the OpenAPI 3.1 document from the route table: every path, parameter and request body comes from the joi schemas the server validates with. */
export function buildApiDocument(table: MountedGroups[]) {
  const schemas: Record<string, JsonSchema> = { ...RESPONSE_SCHEMAS };
  const component = (name: string, schema: JsonSchema) => {
    if (schemas[name] && !isDeepStrictEqual(schemas[name], schema)) throw new Error(`API document: two different schemas are named ${name}`);
    schemas[name] = schema;
    return ref(name);
  };

  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const { prefix, groups } of table) {
    for (const group of groups) {
      for (const route of group.routes) {
        const path = openApiPath(joinPath(prefix, group.base, route.path));
        const parameters = [...parametersOf('path', route.params), ...parametersOf('query', route.query)];
        let requestBody: JsonSchema | undefined;
        if (route.body && isUnionBody(route.body)) {
          const { name, discriminator, variants, examples } = route.body;
          const refs = Object.entries(variants()).map(([key, schema]) => [key, component(`${name}_${key}`, jsonSchemaOf(schema))] as const);
          requestBody = {
            required: true,
            content: {
              'application/json': {
                schema: { oneOf: refs.map(([, r]) => r), discriminator: { propertyName: discriminator, mapping: Object.fromEntries(refs.map(([key, r]) => [key, r.$ref])) } },
                ...(examples ? { examples: Object.fromEntries(Object.entries(examples).map(([key, value]) => [key, { value }])) } : {}),
              },
            },
          };
        } else if (route.body) {
          const { name, schema, example } = route.body;
          requestBody = { required: true, content: { 'application/json': { schema: component(name, jsonSchemaOf(schema)), ...(example === undefined ? {} : { example }) } } };
        }
        if (route.multipart) {
          const form = { 'multipart/form-data': { schema: route.multipart.schema, ...(route.multipart.encoding ? { encoding: route.multipart.encoding } : {}) } };
          requestBody = { required: true, content: { ...((requestBody?.content as object | undefined) ?? {}), ...form } };
        }
        const roles = Array.isArray(route.auth) ? [...route.auth] : undefined;
        // What every route can answer follows from its inputs and its auth, so it is added here rather than repeated.
        const responses = {
          ...(parameters.length || requestBody ? { 400: E400 } : {}),
          ...(route.auth === 'public' ? {} : { 401: E401 }),
          ...(roles ? { 403: E403 } : {}),
          ...route.responses,
        };
        (paths[path] ??= {})[route.method] = {
          tags: [route.tag ?? group.tag],
          summary: route.summary,
          ...(route.description ? { description: route.description } : {}),
          security: route.auth === 'public' ? [] : [{ bearerAuth: [] }],
          ...(roles ? { 'x-roles': roles } : {}),
          ...(parameters.length ? { parameters } : {}),
          ...(requestBody ? { requestBody } : {}),
          responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
        };
      }
    }
  }

  return {
    openapi: '3.1.0',
    info: {
      title: '应急管理行政许可办理平台 API / Permit workflow engine API',
      version: '1.0.0',
      description:
        'Generated from the route table (src/http/routes): each request shape is the joi schema the server validates with. Errors are `{"error": {"code", "message", "details"}}` with Chinese first, then English. Dates people read are YYYY-MM-DD in Asia/Shanghai; time limits count working days. Staff sign in at POST /api/v1/auth/token and send `Authorization: Bearer <token>`; an enterprise gets a token for one application from its number and query code. `x-roles` names the staff roles an operation needs.',
    },
    servers: [{ url: '/' }],
    tags: [
      { name: 'public', description: '企业与公众 / For enterprises and the public' },
      { name: 'auth', description: '登录 / Sign-in' },
      { name: 'catalog', description: '事项清单与日历 / Catalog and calendar' },
      { name: 'applications', description: '办件 / Applications' },
      { name: 'files', description: '申请材料文件 / Files of the materials' },
      { name: 'certificates', description: '证照与到期提醒 / Certificates and expiry reminders' },
      { name: 'statistics', description: '监管统计 / Supervision statistics, their exports and the applications behind a figure' },
      { name: 'staff', description: '账号管理 / Staff accounts' },
      { name: 'system', description: '系统 / System' },
    ],
    security: [{ bearerAuth: [] }],
    paths,
    components: {
      securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer', description: 'Staff token, or an enterprise token for one application' } },
      schemas,
    },
  };
}
