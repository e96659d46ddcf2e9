import type { FastifyBaseLogger } from 'fastify';
import type Provider from 'oidc-provider';
import type { LoadedSigningKeys } from '../signing-keys/load-signing-keys.js';

/** How often the key secret is read again (the CSI driver's rotation poll is 2 min by default). */
export const SIGNING_KEY_RELOAD_MS = 60_000;

export interface SigningKeyRotationOptions {
  load(now: Date): Promise<LoadedSigningKeys>;
  build(keys: LoadedSigningKeys): Provider;
  log: FastifyBaseLogger;
  now?: () => Date;
}

interface Current {
  keys: LoadedSigningKeys;
  provider: Provider;
}

/** Which keys are used and published: changes when a key is added, starts signing, retires or leaves the JWKS. */
function fingerprint(keys: LoadedSigningKeys): string {
  return JSON.stringify([keys.active.map((key) => key.kid), keys.published.map((key) => key.kid)]);
}

/**
 * The signing keys at every moment: the secret is read again every minute and at the next moment the selection
 * changes by the clock (a key's use_from, retire_after, or the end of its overlap), and oidc-provider is rebuilt when
 * the selection changes (its keys are fixed at construction; its state is in Postgres, so nothing is lost). A failed
 * reload keeps the current keys and is logged: a broken secret must not stop a running server.
 */
export class SigningKeyRotation {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  private constructor(
    private readonly options: SigningKeyRotationOptions,
    private state: Current,
  ) {}

  static async start(options: SigningKeyRotationOptions): Promise<SigningKeyRotation> {
    const now = options.now ?? (() => new Date());
    const keys = await options.load(now());
    const rotation = new SigningKeyRotation(options, { keys, provider: options.build(keys) });
    rotation.schedule();
    return rotation;
  }

  current(): Current {
    return this.state;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  private schedule(): void {
    if (this.stopped) return;
    const now = this.now().getTime();
    const boundaries = this.state.keys.published.flatMap((key) => [
      key.useFrom.getTime(),
      ...(key.retireAfter === undefined ? [] : [key.retireAfter.getTime()]),
    ]);
    const next = Math.min(SIGNING_KEY_RELOAD_MS, ...boundaries.filter((at) => at > now).map((at) => at - now));
    this.timer = setTimeout(() => void this.reload(), Math.max(next, 0) + 1);
    this.timer.unref();
  }

  private async reload(): Promise<void> {
    try {
      const keys = await this.options.load(this.now());
      if (fingerprint(keys) !== fingerprint(this.state.keys)) {
        this.state = { keys, provider: this.options.build(keys) };
        this.options.log.info({ signingKid: keys.signing.kid }, 'authorization server signing keys changed');
      } else {
        this.state = { ...this.state, keys };
      }
    } catch (error) {
      this.options.log.error({ err: error }, 'signing keys could not be reloaded; the current ones stay in use');
    } finally {
      this.schedule();
    }
  }
}
