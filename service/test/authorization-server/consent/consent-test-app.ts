import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import {
  type ConsentInteraction,
  type ConsentOutcome,
  consentRoutes,
} from '../../../src/authorization-server/consent/consent-routes.js';
import type { ConsentStore } from '../../../src/authorization-server/consent/consent-store.js';
import { createCsrfTokens } from '../../../src/authorization-server/consent/csrf-token.js';
import { MCP_SCOPES } from '../../../src/contract.js';

/** What the authorization request asks; the user comes from the request, as a session would supply it. */
export type TestInteraction = Omit<ConsentInteraction, 'interactionId' | 'tenantId' | 'userId' | 'userName'>;

export const DEFAULT_TENANT = 'tenant-a';
export const DEFAULT_USER = 'alice';
/** Stand-ins for the session cookie: which user (and tenant) is signed in for this request. */
export const USER_HEADER = 'x-test-user';
export const TENANT_HEADER = 'x-test-tenant';

export const SAMPLE_INTERACTION: TestInteraction = {
  clientId: 'https://client.example.com/oauth/metadata.json',
  clientName: 'Example Notes',
  redirectUri: 'https://app.example.net/callback',
  scopes: [MCP_SCOPES.read, MCP_SCOPES.write],
};

export interface ConsentTestApp {
  app: FastifyInstance;
  interactions: Map<string, TestInteraction>;
  outcomes: ConsentOutcome[];
  /** The CSRF tokens' clock, in milliseconds; tests move it forward to expire a token. */
  clock: { now: number };
  /** What onOutcome answers; undefined gives the plugin's own "done" page. */
  redirectTo: string | undefined;
}

export async function buildConsentTestApp(consents: ConsentStore): Promise<ConsentTestApp> {
  const app = Fastify({ logger: false });
  const state: ConsentTestApp = {
    app,
    interactions: new Map([['interaction-1', SAMPLE_INTERACTION]]),
    outcomes: [],
    clock: { now: Date.now() },
    redirectTo: undefined,
  };
  const header = (request: FastifyRequest, name: string) => {
    const value = request.headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  await app.register(consentRoutes, {
    consents,
    csrf: createCsrfTokens({ secret: Buffer.alloc(32, 7), now: () => state.clock.now }),
    async findInteraction(interactionId, request) {
      const interaction = state.interactions.get(interactionId);
      if (!interaction) return undefined;
      const userId = header(request, USER_HEADER) ?? DEFAULT_USER;
      return {
        ...interaction,
        interactionId,
        tenantId: header(request, TENANT_HEADER) ?? DEFAULT_TENANT,
        userId,
        userName: `${userId} (display name)`,
      };
    },
    async onOutcome(outcome) {
      state.outcomes.push(outcome);
      return state.redirectTo === undefined ? undefined : { redirectTo: state.redirectTo };
    },
  });
  await app.ready();
  return state;
}

/** The hidden CSRF field of a rendered consent page. */
export function csrfTokenOf(html: string): string {
  const match = /name="csrf_token" value="([^"]*)"/.exec(html);
  if (!match?.[1]) throw new Error('the page has no CSRF token field');
  return match[1];
}

export function formBody(fields: Record<string, string>): string {
  return new URLSearchParams(fields).toString();
}

/** An in-memory ConsentStore for tests that are not about the database (the browser test). */
export function createMemoryConsentStore(): ConsentStore {
  const rows = new Map<string, { clientId: string; scopes: string[]; grantedAt: Date; updatedAt: Date }>();
  const key = (tenantId: string, userId: string, clientId: string) => JSON.stringify([tenantId, userId, clientId]);
  return {
    async find(user, clientId) {
      return rows.get(key(user.tenantId, user.userId, clientId));
    },
    async remember(user, clientId, scopes) {
      const now = new Date();
      const previous = rows.get(key(user.tenantId, user.userId, clientId));
      const row = {
        clientId,
        scopes: [...new Set([...(previous?.scopes ?? []), ...scopes])].sort(),
        grantedAt: previous?.grantedAt ?? now,
        updatedAt: now,
      };
      rows.set(key(user.tenantId, user.userId, clientId), row);
      return row;
    },
    async list(user) {
      return [...rows.entries()]
        .filter(([k]) => k.startsWith(JSON.stringify([user.tenantId, user.userId]).slice(0, -1)))
        .map(([, row]) => row);
    },
    async revoke(user, clientId) {
      return rows.delete(key(user.tenantId, user.userId, clientId));
    },
    async revokeAll(user) {
      const mine = await this.list(user);
      for (const row of mine) rows.delete(key(user.tenantId, user.userId, row.clientId));
      return mine.length;
    },
  };
}
