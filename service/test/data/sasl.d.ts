// node-postgres ships its SCRAM client without types; only what password-verifier.test.ts uses.
declare module 'pg/lib/crypto/sasl.js' {
  interface ScramSession {
    clientNonce: string;
    response: string;
  }
  export function startSession(mechanisms: string[]): ScramSession;
  export function continueSession(session: ScramSession, password: string, serverData: string): Promise<void>;
  export function finalizeSession(session: ScramSession, serverData: string): void;
}
