import type { FastifyRequest } from 'fastify';
import { badRequest } from './errors.js';

/* U+0000 never enters the store: PostgreSQL text cannot hold it and no report needs one. A request
 * that carries it anywhere (a string or property name of the JSON body at any depth, STIX objects
 * posted to TAXII included; a query or path parameter) is refused, rather than stored without it
 * behind the caller's back. Sources (src/sources/normalise.ts) remove it from what they read. */

/** Throws 400 invalid_request naming the first part of the request found to hold U+0000. */
export function refuseNul(request: FastifyRequest): void {
  const field =
    nulIn(request.params, 'params') ?? nulIn(request.query, 'querystring') ?? nulIn(request.body, 'body');
  if (field !== null) throw badRequest(`${field} contains U+0000 (NUL), which Vigil does not accept`);
}

/** The path of a string or property name holding U+0000 (`body.objects[0].name`), else null.
 * Iterative, as a body may nest deeper than the call stack goes. */
function nulIn(root: unknown, name: string): string | null {
  const stack: [unknown, string][] = [[root, name]];
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const [value, path] = next;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) return path;
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        stack.push([item, `${path}[${i}]`]);
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        if (key.includes('\u0000')) return `a property name in ${path}`;
        stack.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}
