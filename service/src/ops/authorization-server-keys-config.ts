import { z } from 'zod';
import { ENV } from '../contract.js';
import { parseEnv } from './ops-env.js';

export interface AuthorizationServerKeysConfig {
  /** The vault holding both secrets, e.g. https://<name>.vault.azure.net. */
  vaultUrl: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

// The SDK sends a bearer token to this URL: https only, and no path, query or fragment a typo could have put there.
const vaultUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: 'must be a URL (https://<vault name>.vault.azure.net)' });
    return;
  }
  if (url.protocol !== 'https:') ctx.addIssue({ code: 'custom', message: 'must use https' });
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '' || url.username !== '') {
    ctx.addIssue({ code: 'custom', message: 'must be the vault origin only (https://<vault name>.vault.azure.net)' });
  }
  if (url.protocol === 'https:' && !LOOPBACK_HOSTS.has(url.hostname) && !url.hostname.includes('.vault.')) {
    ctx.addIssue({ code: 'custom', message: 'must be a Key Vault host (https://<vault name>.vault.azure.net)' });
  }
});

const schema = z.object({ [ENV.keyVaultUrl]: vaultUrl });

/** Validates the keys Job's environment; throws a ConfigError listing every problem. */
export function loadAuthorizationServerKeysConfig(env: NodeJS.ProcessEnv): AuthorizationServerKeysConfig {
  const e = parseEnv(schema, env);
  return { vaultUrl: new URL(e[ENV.keyVaultUrl]).origin };
}
