import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

/** The demo's own policy: only this origin's scripts, styles and API. */
const DEMO_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The files of the demo page; `''` is /demo/ itself (index.html). */
const DEMO_FILES = new Set(['', 'index.html', 'demo.js', 'demo.css']);

/**
 * The pages the links in emails open (PUBLIC_APP_URL defaults to /demo): the same
 * single page, which reads its path and the token in the query.
 */
const LINK_PAGES = ['/demo/reset-password', '/demo/accept-invitation'];

/** Where `npm run build:client` puts the demo: next to src/ when run from source, next to dist/ when built. */
export function demoBundleDirectory(): string | null {
  const candidates = [join(__dirname, '..', '..', 'client', 'dist', 'demo'), join(__dirname, '..', '..', '..', 'client', 'dist', 'demo')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/**
 * Serves the SPA demo (client/demo, built by `npm run build:client`) at /demo/, outside
 * the /api prefix and the bearer guard: static files, public by nature. Only called when
 * DEMO_ENABLED=true.
 */
export async function registerDemo(app: NestFastifyApplication, root: string | null = demoBundleDirectory()): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  if (!root) {
    fastify.get('/demo*', async (_request, reply) => {
      await reply.code(503).type('text/plain; charset=utf-8').send('The demo is not built: run `npm run build:client`, then restart.');
    });
    return;
  }
  await fastify.register(fastifyStatic, {
    root,
    // What the page loads, and nothing else the build leaves beside it (source maps, notes).
    allowedPath: (pathName) => DEMO_FILES.has(pathName.replace(/^\/+/, '')),
    prefix: '/demo', // without the slash, so /demo redirects to /demo/
    redirect: true,
    decorateReply: false,
    setHeaders: (reply, path) => {
      // The other security headers come from the app-wide hook (SECURITY_HEADERS); the demo needs its own policy.
      reply.header('content-security-policy', DEMO_CSP);
      if (path.endsWith('.html')) reply.header('cache-control', 'no-cache');
    },
  });
  const page = readFileSync(join(root, 'index.html'));
  for (const url of LINK_PAGES) {
    fastify.get(url, async (_request, reply) => {
      // The token in the query must not travel on to other sites in a Referer.
      await reply.header('content-security-policy', DEMO_CSP).header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8').send(page);
    });
  }
}
