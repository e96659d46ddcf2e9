import { readFile } from 'node:fs/promises';
import { type LoadToken, LoadTokenError, labelToken } from './load-token.js';

/** RFC 6750 b64token: what may follow "Bearer " in a header. */
const BEARER_TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

/** Tokens for a real deployment: a JSON array of strings, or one token a line (blank lines and # comments skipped). */
export async function readTokenFile(file: string): Promise<LoadToken[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new LoadTokenError(`--tokens: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const tokens = text.trimStart().startsWith('[') ? fromJsonArray(text, file) : fromLines(text);
  if (tokens.length === 0) throw new LoadTokenError(`--tokens: ${file} holds no tokens`);
  const bad = tokens.findIndex((token) => !BEARER_TOKEN.test(token));
  if (bad >= 0) throw new LoadTokenError(`--tokens: token ${bad + 1} in ${file} is not a bearer token`);
  return tokens.map(labelToken);
}

function fromJsonArray(text: string, file: string): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new LoadTokenError(`--tokens: ${file} starts like a JSON array but is not JSON`);
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) {
    throw new LoadTokenError(`--tokens: ${file} must be a JSON array of strings`);
  }
  return parsed.map((token) => token.trim());
}

function fromLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0 && !line.startsWith('#'));
}
