import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

// Kept over @nestjs/serve-static and express.static: serve-static always adds an SPA fallback (a missing
// /app/x.js would answer 200 with index.html), express.static serves every file kind in the folder (the owner
// app's specs and .d.ts files) and redirects every bare mount, where /dashboard answers its page and only /app
// redirects (service worker scope). What is left here is that policy, plus ~30 lines of stat-and-stream.
/** Only these kinds are served: anything else in the folder (or asked for) is a 404. */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.ico': 'image/x-icon',
};

export const INDEX_FILE = 'index.html';

// The pages talk only to their own origin and never run inline script, so data that slipped into
// markup still could not execute. worker-src and manifest-src fall back to 'self' through
// script-src / default-src: the owner app's service worker and manifest are same-origin files.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * Maps a URL path (relative to the mount point) to a file inside `rootDir`, or null when it is not
 * one we serve: a dot-file, an unknown extension, or a path that escapes the folder.
 */
export function resolveStaticFile(rootDir: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '');
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const relative = decoded === '' || decoded === '/' ? INDEX_FILE : decoded.replace(/^\/+/, '');
  if (relative.split('/').some((segment) => segment.startsWith('.'))) return null;
  if (!(extname(relative) in CONTENT_TYPES)) return null;
  const root = normalize(rootDir + sep);
  const file = normalize(join(root, relative));
  return file.startsWith(root) ? file : null;
}

type Next = (error?: unknown) => void;

export interface StaticFileHandlerOptions {
  /**
   * Where the handler is mounted (e.g. '/app'). When set, the bare mount path is redirected to the
   * folder form ('/app' -> '/app/'), so the page's URL lies inside a service worker scope of '/app/'.
   */
  redirectBareMount?: string;
}

/** A connect-style middleware serving GET/HEAD for the files under `rootDir`; other methods pass on. */
export function createStaticFileHandler(rootDir: string, options: StaticFileHandlerOptions = {}) {
  return (request: IncomingMessage, response: ServerResponse, next: Next): void => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      next();
      return;
    }
    const location = options.redirectBareMount === undefined ? null : folderRedirect(options.redirectBareMount, request);
    if (location !== null) {
      response.writeHead(301, { Location: location, 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
      response.end(`Moved to ${location}`);
      return;
    }
    const file = resolveStaticFile(rootDir, request.url ?? '/');
    void serve(file, request.method === 'HEAD', response).catch(next);
  };
}

/**
 * Express strips the mount path from `url`, so '/app' and '/app/' both arrive as '/'; only
 * `originalUrl` (set by express) tells them apart.
 */
export function folderRedirect(mountPath: string, request: IncomingMessage & { originalUrl?: string }): string | null {
  const original = request.originalUrl ?? request.url ?? '';
  const queryAt = original.indexOf('?');
  const path = queryAt === -1 ? original : original.slice(0, queryAt);
  return path === mountPath ? `${mountPath}/${queryAt === -1 ? '' : original.slice(queryAt)}` : null;
}

async function serve(file: string | null, headOnly: boolean, response: ServerResponse): Promise<void> {
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || !info?.isFile()) {
    response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...SECURITY_HEADERS });
    response.end('Not found');
    return;
  }
  response.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    // Small files that change with each deploy: always revalidate rather than serve a stale UI.
    'Cache-Control': 'no-cache',
    'Last-Modified': info.mtime.toUTCString(),
    ...SECURITY_HEADERS,
  });
  if (headOnly) {
    response.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}
