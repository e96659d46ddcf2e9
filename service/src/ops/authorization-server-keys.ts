import type { TokenCredential } from '@azure/identity';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { SECRET_NAMES } from '../contract.js';
import { workloadIdentityCredential } from '../secrets/workload-identity-credential.js';
import type { AuthorizationServerKeysConfig } from './authorization-server-keys-config.js';
import { type CookieKeysPlan, planCookieKeys } from './authorization-server-keys-cookie-plan.js';
import {
  type NewKey,
  planSigningKeys,
  type SigningKeyChange,
  type SigningKeyPolicy,
  type SigningKeysPlan,
} from './authorization-server-keys-signing-plan.js';
import { type KeysVault, keyVaultKeysVault } from './authorization-server-keys-vault.js';
import type { OpsLogger } from './ops-log.js';

export interface AuthorizationServerKeysDependencies {
  log: OpsLogger;
  /** Production: the Job's workload identity (Key Vault Secrets Officer on the vault). */
  credential?: TokenCredential;
  /** Passed to the Key Vault client (tests: their CA, no challenge resource check). */
  clientOptions?: SecretClientOptions;
  /** Replaces Key Vault altogether. */
  vault?: KeysVault;
  now?: () => Date;
  policy?: SigningKeyPolicy;
  newKey?: NewKey;
}

export interface AuthorizationServerKeysOutcome {
  signingKeys: { changes: SigningKeyChange[]; signingKid: string; version?: string };
  cookieKeys: { action: CookieKeysPlan['action']; version?: string };
}

const SIGNING = SECRET_NAMES.authorizationServerSigningKeys;
const COOKIES = SECRET_NAMES.authorizationServerCookieKeys;

const CHANGE_MESSAGES: Record<SigningKeyChange['action'], string> = {
  created: 'signing key set created with a key usable now',
  added_usable_now: 'no signing key was usable: added one usable now',
  announced: 'signing key announced',
  retirement_scheduled: 'signing key retirement scheduled',
  pruned: 'retired signing key removed',
};

/**
 * One run of the authorization server's keys Job: reads both secrets, works out what they should hold now (create,
 * rotate, prune; see planSigningKeys), checks the result the way the server will load it, and only then writes a
 * new version of each secret whose content changed. A second run right after writes nothing. Logs kids, never keys.
 */
export async function runAuthorizationServerKeys(
  config: AuthorizationServerKeysConfig,
  deps: AuthorizationServerKeysDependencies,
): Promise<AuthorizationServerKeysOutcome> {
  const { log } = deps;
  const now = (deps.now ?? (() => new Date()))();
  const vault =
    deps.vault ??
    keyVaultKeysVault({
      vaultUrl: config.vaultUrl,
      credential: deps.credential ?? workloadIdentityCredential(),
      clientOptions: deps.clientOptions,
    });
  log.info('authorization server keys started', { vault: config.vaultUrl, now: now.toISOString() });

  // Everything is read, planned and checked before the first write: a failure leaves both secrets as they were.
  const signingText = await vault.read(SIGNING);
  const cookieText = await vault.read(COOKIES);
  const signing: SigningKeysPlan = await planSigningKeys(signingText, now, {
    policy: deps.policy,
    newKey: deps.newKey,
  });
  const cookies = await planCookieKeys(cookieText);

  for (const change of signing.changes) log.info(CHANGE_MESSAGES[change.action], { secret: SIGNING, ...change });
  let signingVersion: string | undefined;
  if (signing.changes.length > 0) {
    signingVersion = (await vault.write(SIGNING, signing.text)).version;
    log.info('secret written', { secret: SIGNING, version: signingVersion ?? null });
  } else {
    log.info('signing keys unchanged', { secret: SIGNING });
  }
  log.info('signing keys in effect', {
    secret: SIGNING,
    signingKid: signing.signingKid,
    publishedKids: signing.publishedKids,
  });

  let cookieVersion: string | undefined;
  if (cookies.action === 'created') {
    log.info('cookie keys created', { secret: COOKIES, keyCount: cookies.keyCount });
    cookieVersion = (await vault.write(COOKIES, cookies.text)).version;
    log.info('secret written', { secret: COOKIES, version: cookieVersion ?? null });
  } else {
    log.info('cookie keys unchanged', { secret: COOKIES, keyCount: cookies.keyCount });
  }

  log.info('authorization server keys finished');
  return {
    signingKeys: {
      changes: signing.changes,
      signingKid: signing.signingKid,
      ...(signingVersion === undefined ? {} : { version: signingVersion }),
    },
    cookieKeys: { action: cookies.action, ...(cookieVersion === undefined ? {} : { version: cookieVersion }) },
  };
}
