import { z } from 'zod';
import { ClientMetadataError } from './client-metadata-error.js';
import { LOOPBACK_REDIRECT_HOSTS } from './redirect-uri.js';

/**
 * The client metadata a document may carry (RFC 7591 §2 names, draft-ietf-oauth-client-id-metadata-document §4),
 * bounded so a hostile document cannot make the consent page or the logs carry megabytes. Fields not named here are
 * dropped, as RFC 7591 §2 asks of unknown metadata.
 */
const MAX_URI_LENGTH = 2_048;
const MAX_REDIRECT_URIS = 20;

/** `https` anywhere; `http` only to a loopback host, for native apps (RFC 8252 §7.3, §8.3). */
function redirectUriProblem(text: string): string | undefined {
  if (!URL.canParse(text)) return 'must be an absolute URL';
  const url = new URL(text);
  if (text.includes('#')) return 'must not contain a fragment (RFC 6749 §3.1.2)';
  if (url.username !== '' || url.password !== '') return 'must not contain credentials';
  if (url.protocol === 'https:') return undefined;
  if (url.protocol === 'http:') {
    return LOOPBACK_REDIRECT_HOSTS.has(url.hostname)
      ? undefined
      : 'may use http only on a loopback host (127.0.0.1, [::1] or localhost; RFC 8252 §7.3)';
  }
  // A private-use scheme is a reversed domain name (RFC 8252 §7.1), which keeps out javascript:, data: and file:.
  if (/^[a-z][a-z0-9+-]*(\.[a-z0-9+-]+)+:$/.test(url.protocol)) return undefined;
  return 'must use https, http on a loopback host, or a reverse-domain private-use scheme (RFC 8252 §7.1)';
}

const boundedUri = z.url({ error: 'must be an absolute URL' }).max(MAX_URI_LENGTH);
const httpsUri = boundedUri.refine((value) => value.startsWith('https://'), 'must use https');

const jwk = z
  .object({ kty: z.string() })
  .loose()
  // A published document is public: a private key in it is already compromised, and accepting it would say otherwise.
  .refine((key) => !('d' in key), 'must not contain private key material ("d")');

const SHARED_SECRET_METHODS = new Set(['client_secret_basic', 'client_secret_post', 'client_secret_jwt']);

const documentSchema = z
  .object({
    client_id: z.string(),
    redirect_uris: z
      .array(
        z
          .string()
          .max(MAX_URI_LENGTH)
          .superRefine((value, context) => {
            const problem = redirectUriProblem(value);
            if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
          }),
      )
      .min(1, 'must list at least one redirect URI')
      .max(MAX_REDIRECT_URIS),
    token_endpoint_auth_method: z
      .string()
      .default('none')
      .superRefine((value, context) => {
        if (SHARED_SECRET_METHODS.has(value)) {
          context.addIssue({
            code: 'custom',
            message: `${value} needs a shared secret, which a public document cannot hold; use none or private_key_jwt`,
          });
        } else if (value !== 'none' && value !== 'private_key_jwt') {
          context.addIssue({ code: 'custom', message: 'must be none or private_key_jwt' });
        }
      })
      .transform((value) => value as 'none' | 'private_key_jwt'),
    grant_types: z
      .array(z.enum(['authorization_code', 'refresh_token'], { error: 'only authorization_code and refresh_token' }))
      .max(2)
      .default(['authorization_code']),
    response_types: z
      .array(z.literal('code', { error: 'only code is supported' }))
      .max(1)
      .default(['code']),
    client_name: z.string().min(1).max(200).optional(),
    client_uri: httpsUri.optional(),
    logo_uri: httpsUri.optional(),
    tos_uri: httpsUri.optional(),
    policy_uri: httpsUri.optional(),
    scope: z.string().max(1_000).optional(),
    contacts: z.array(z.string().max(320)).max(10).optional(),
    software_id: z.string().max(200).optional(),
    software_version: z.string().max(100).optional(),
    jwks_uri: httpsUri.optional(),
    jwks: z.object({ keys: z.array(jwk).min(1).max(10) }).optional(),
  })
  .superRefine((document, context) => {
    if (document.token_endpoint_auth_method === 'private_key_jwt' && !document.jwks_uri && !document.jwks) {
      context.addIssue({
        code: 'custom',
        path: ['jwks_uri'],
        message: 'private_key_jwt needs the client keys: jwks_uri or jwks',
      });
    }
    if (document.jwks_uri && document.jwks) {
      context.addIssue({
        code: 'custom',
        path: ['jwks'],
        message: 'must not be given together with jwks_uri (RFC 7591 §2)',
      });
    }
  });

export type ClientMetadataDocument = z.infer<typeof documentSchema>;

function invalid(message: string): never {
  throw new ClientMetadataError('invalid_document', `The client metadata document is invalid: ${message}.`);
}

/**
 * Validates a fetched document against the URL it was fetched from. The `client_id` property must equal that URL by
 * simple string comparison (draft §4: otherwise any site could serve a document claiming another client's identity);
 * a `client_secret` or a shared-secret authentication method is refused (draft §4: symmetric secrets MUST NOT be
 * used, as the document is public).
 */
export function parseClientMetadataDocument(body: unknown, clientIdUrl: string): ClientMetadataDocument {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('it must be a JSON object');
  const clientId = (body as Record<string, unknown>).client_id;
  if (typeof clientId !== 'string') invalid('client_id is missing');
  if (clientId !== clientIdUrl) {
    throw new ClientMetadataError(
      'client_id_mismatch',
      'The client metadata document names a different client_id than the URL it was fetched from.',
    );
  }
  if ('client_secret' in body || 'client_secret_expires_at' in body) {
    invalid('client_secret must not appear in a public document');
  }
  const parsed = documentSchema.safeParse(body);
  if (!parsed.success) {
    invalid(
      parsed.error.issues
        .slice(0, 5)
        .map((issue) => `${issue.path.join('.') || '(document)'} ${issue.message}`)
        .join('; '),
    );
  }
  return parsed.data;
}
