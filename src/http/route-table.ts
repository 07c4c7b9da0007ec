import { Router, type Request, type RequestHandler, type Response } from 'express';
import type Joi from 'joi';
import type { Connection } from 'mongoose';
import type { Principal } from '../auth/access-policy';
import type { StaffRole } from '../auth/tokens';
import type { Services } from '../services';
import { principalOf, staffWith } from './authenticate';
import { validate } from './validate';

export type JsonSchema = Record<string, unknown>;
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** Who may call a route: anyone, any signed-in principal (staff or an enterprise token), or staff with one of these roles. */
export type Auth = 'public' | 'signed-in' | readonly StaffRole[];
type Staff = Extract<Principal, { kind: 'staff' }>;
type PrincipalFor<A extends Auth> = A extends 'public' ? undefined : A extends 'signed-in' ? Principal : Staff;

/** A JSON request body validated by one joi schema, described under `name` in the document. */
export interface SchemaBody<B> {
  name: string;
  /** Label in the 400 message, e.g. "application". */
  what: string;
  schema: Joi.Schema<B>;
  /** A complete valid body, shown in the document (and sent by test/api-document.test.ts). */
  example?: unknown;
}

/**
 * A body that is one of several variants told apart by one property (the events route): each variant is
 * described as `<name>_<key>`, and `parse` validates at run time with the same payload schemas.
 */
export interface UnionBody<B> {
  name: string;
  discriminator: string;
  /** Read when the document is built, so an event registered before the app starts is described too. */
  variants: () => Record<string, Joi.ObjectSchema>;
  parse: (body: unknown) => B;
  examples?: Record<string, unknown>;
}

export type BodySpec<B> = SchemaBody<B> | UnionBody<B>;
export const isUnionBody = <B>(body: BodySpec<B>): body is UnionBody<B> => 'variants' in body;

/** An OpenAPI response object; response shapes are described, not validated. */
export type ResponseSpec = { description: string; content?: Record<string, { schema: JsonSchema }>; headers?: JsonSchema };

export interface RouteContext<A extends Auth, P, Q, B> {
  services: Services;
  conn: Connection;
  req: Request;
  res: Response;
  principal: PrincipalFor<A>;
  params: P;
  query: Q;
  body: B;
}

/** One route, defined once: the server validates with these joi schemas and the API document is built from them. */
export interface RouteDefinition<A extends Auth = Auth, P = unknown, Q = unknown, B = unknown> {
  method: HttpMethod;
  /** Express path below the group's base, e.g. `/:id/events`. */
  path: string;
  summary: string;
  description?: string;
  /** Overrides the group's tag in the document. */
  tag?: string;
  auth: A;
  params?: Joi.ObjectSchema<P>;
  query?: Joi.ObjectSchema<Q>;
  body?: BodySpec<B>;
  /** A multipart/form-data body (file uploads), parsed by `use`: described in the document, alone or beside the JSON body. */
  multipart?: { schema: JsonSchema; encoding?: Record<string, JsonSchema> };
  /** Middleware run before authorization, e.g. the metrics token check. */
  use?: (services: Services) => RequestHandler[];
  /** Success and route-specific failures; 400, 401 and 403 are added from the inputs and `auth`. */
  responses: Record<number, ResponseSpec>;
  handler: (ctx: RouteContext<A, P, Q, B>) => unknown;
}

/** Routes mounted together under `base` (relative to where the group is mounted), in the order Express matches them. */
export interface RouteGroup {
  base: string;
  tag: string;
  routes: RouteDefinition[];
}

/** Defines a route; the type parameters come from the joi schemas (`Joi.object<T>()`) and the auth literal. */
export function defineRoute<const A extends Auth, P = Record<string, string>, Q = unknown, B = unknown>(route: RouteDefinition<A, P, Q, B>): RouteDefinition {
  return route as unknown as RouteDefinition;
}

function principalFor(req: Request, auth: Auth): Principal | undefined {
  if (auth === 'public') return undefined;
  if (auth === 'signed-in') return principalOf(req);
  return staffWith(req, [...auth]);
}

/** An Express router for a group: authorization first, then params, query and body validation, then the handler. */
export function routerOf(group: RouteGroup, services: Services, conn: Connection): Router {
  const router = Router();
  for (const route of group.routes) {
    // A body is required: without one (or without a JSON content type) the answer is a 400, not a handler crash.
    const bodySchema = route.body && !isUnionBody(route.body) ? route.body.schema.required() : undefined;
    router[route.method](route.path, ...(route.use?.(services) ?? []), async (req, res) => {
      const principal = principalFor(req, route.auth);
      const params = route.params ? validate(route.params, req.params, 'path') : req.params;
      const query = route.query ? validate(route.query, req.query, 'query') : req.query;
      let body: unknown = req.body;
      if (route.body) body = bodySchema ? validate(bodySchema, req.body, (route.body as SchemaBody<unknown>).what) : (route.body as UnionBody<unknown>).parse(req.body);
      await route.handler({ services, conn, req, res, principal, params, query, body });
    });
  }
  return router;
}
