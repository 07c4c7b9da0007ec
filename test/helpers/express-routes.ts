import type { Express } from 'express';

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/** Every route an Express 5 app serves, as `METHOD /full/path` with `:params`, by walking its router stack. */
export function servedRoutes(app: Express): { method: string; path: string }[] {
  const routes: { method: string; path: string }[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) routes.push({ method: method.toUpperCase(), path: join(prefix, path) });
        }
      } else if (layer.handle?.stack) {
        for (const mount of [layer.rawPath ?? '/'].flat()) walk(layer.handle.stack, join(prefix, mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
  return routes;
}

const join = (a: string, b: string) => (`${a}/${b}`.replace(/\/+/g, '/').replace(/(.)\/$/, '$1')) || '/';

/** An Express path (`/a/:id`) as an OpenAPI path template (`/a/{id}`). */
export const toOpenApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');
