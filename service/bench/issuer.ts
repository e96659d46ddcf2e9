import type { MintClaims } from '../src/dev/dev-issuer.js';
import { type Child, spawnTypeScript } from './processes.js';

export interface IssuerProcess {
  child: Child;
  issuer: string;
  mint(claims: MintClaims): Promise<string>;
}

/** Starts issuer-process.ts and talks to it over its stdin and stdout. */
export async function startIssuer(): Promise<IssuerProcess> {
  const child = spawnTypeScript('issuer', 'issuer-process.ts');
  const { issuer } = await child.nextJson<{ issuer: string }>(30_000);
  return {
    child,
    issuer,
    async mint(claims) {
      child.process.stdin?.write(`${JSON.stringify(claims)}\n`);
      const answer = await child.nextJson<{ token?: string; error?: string }>(10_000);
      if (!answer.token) throw new Error(`the issuer minted no token: ${answer.error}`);
      return answer.token;
    },
  };
}
