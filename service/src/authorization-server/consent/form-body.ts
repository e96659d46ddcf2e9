import type { FastifyInstance } from 'fastify';

/** A form post is a few fields (a CSRF token, a decision, a client id): anything bigger is refused (413). */
const FORM_BODY_LIMIT_BYTES = 4 * 1024;

/**
 * Parses `application/x-www-form-urlencoded` bodies into a flat record, in the plugin it is called in only (no
 * fastify-plugin): the pages' forms post this way, nothing else of the server accepts it.
 */
export function acceptFormPosts(app: FastifyInstance): void {
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string', bodyLimit: FORM_BODY_LIMIT_BYTES },
    (_request, body, done) => done(null, Object.fromEntries(new URLSearchParams(body as string))),
  );
}
