import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTokenFile } from '../../load/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'load-tokens-'));
const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};
const jwt = (claims: Record<string, unknown>) =>
  `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;

describe('a --tokens file', () => {
  it('reads one token a line, skipping blanks and comments, labelled by their tenant and user claims', async () => {
    const file = write('lines.txt', `# staging\n${jwt({ tenant_id: 'acme', sub: 'alice' })}\n\nopaque-token\n`);
    expect(await readTokenFile(file)).toEqual([
      { token: jwt({ tenant_id: 'acme', sub: 'alice' }), tenant: 'acme', user: 'alice' },
      { token: 'opaque-token', tenant: 'unknown', user: 'unknown' },
    ]);
  });

  it('reads a JSON array of strings', async () => {
    expect((await readTokenFile(write('list.json', '["a.b.c", "d.e.f"]'))).map((t) => t.token)).toEqual([
      'a.b.c',
      'd.e.f',
    ]);
  });

  it('says what is wrong with a file it cannot use', async () => {
    await expect(readTokenFile(join(dir, 'missing.txt'))).rejects.toThrow(
      `--tokens: cannot read ${dir}/missing.txt (ENOENT)`,
    );
    await expect(readTokenFile(write('empty.txt', '# none\n'))).rejects.toThrow('holds no tokens');
    await expect(readTokenFile(write('numbers.json', '[1, 2]'))).rejects.toThrow('must be a JSON array of strings');
    await expect(readTokenFile(write('broken.json', '["a",'))).rejects.toThrow(
      'starts like a JSON array but is not JSON',
    );
    await expect(readTokenFile(write('spaces.txt', 'Bearer abc\n'))).rejects.toThrow('token 1 in');
  });
});
