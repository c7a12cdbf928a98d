import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { strictTransportSecurity } from 'helmet';

type Next = (error?: unknown) => void;
type Middleware = (request: IncomingMessage, response: ServerResponse, next: Next) => void;

/**
 * Helmet's headers on every answer: the API, /docs (Swagger UI), /dashboard and /app. Its default CSP fits
 * all three pages (scripts and styles from this origin, inline styles for Swagger UI, data: images), and is
 * tested in Chromium (test/browser). Two defaults are changed, both for a demo served over plain HTTP:
 * `upgrade-insecure-requests` would send a LAN visitor's asset requests to an https port that does not
 * exist, and HSTS is only sent on a request that came over TLS (behind a proxy, with TRUST_PROXY_HOPS).
 */
export function securityHeaders(): Middleware {
  const everywhere = helmet({
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
    strictTransportSecurity: false,
  });
  const hsts = strictTransportSecurity({ maxAge: 31_536_000, includeSubDomains: true });
  return (request, response, next) => {
    everywhere(request, response, (error?: unknown) => {
      if (error !== undefined) {
        next(error);
        return;
      }
      // Express's request.secure: the socket's TLS, or X-Forwarded-Proto from a trusted proxy.
      if ((request as IncomingMessage & { secure?: boolean }).secure === true) {
        hsts(request, response, next);
        return;
      }
      next();
    });
  };
}
