import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONSENT_CONTENT_SECURITY_POLICY } from '../../../src/authorization-server/consent/consent-headers.js';
import { type ConsentPageModel, renderConsentPage } from '../../../src/authorization-server/consent/consent-page.js';
import { MCP_SCOPES } from '../../../src/contract.js';

const MODEL: ConsentPageModel = {
  clientName: 'Example Notes',
  clientId: 'https://client.example.com/oauth/metadata.json',
  clientHost: 'client.example.com',
  redirectHost: 'app.example.net',
  scopes: [MCP_SCOPES.read, MCP_SCOPES.write, MCP_SCOPES.admin],
  userName: 'Alice Example',
  seenBefore: false,
  csrfToken: 'v1.123.token',
  formAction: './interaction-1',
};

const HOSTILE = '<script>alert(1)</script>"\'><img src=x onerror=alert(2)>';

/** The tags of a page with attribute values blanked: its structure, without the text it shows. */
function markup(html: string): string[] {
  return [...html.matchAll(/<[^>]*>/g)].map(([tag]) => tag.replace(/"[^"]*"/g, '""'));
}

describe('renderConsentPage', () => {
  it('shows the client, its hosts, the user and every scope with its description', () => {
    const html = renderConsentPage(MODEL);
    expect(html).toContain('<span class="client-name">Example Notes</span> wants to use your account');
    expect(html).toContain('<dd id="client-host">client.example.com</dd>');
    expect(html).toContain('<code id="client-id">https://client.example.com/oauth/metadata.json</code>');
    expect(html).toContain('<dd id="redirect-host">app.example.net</dd>');
    expect(html).toContain('<strong id="user-name">Alice Example</strong>');
    expect(html).toContain('<strong>Read your documents</strong>');
    expect(html).toContain('<strong>Create and change documents</strong>');
    expect(html).toContain('<strong>Delete other people&#39;s documents</strong>');
    expect(html).toContain('<code>mcp:admin</code>');
  });

  it('names an unknown scope as not recognised rather than hiding it', () => {
    const html = renderConsentPage({ ...MODEL, scopes: ['files:everything'] });
    expect(html).toContain('A permission this server does not recognise');
    expect(html).toContain('<code>files:everything</code>');
  });

  it('leads with the client id host when the client has no name (absent or blank)', () => {
    for (const clientName of [undefined, '   ']) {
      const html = renderConsentPage({ ...MODEL, clientName });
      expect(html).toContain(
        '<h1>An application at <span class="client-name">client.example.com</span> wants to use your account</h1>',
      );
    }
  });

  it('says "first time" for a client not seen before, and not for one seen before', () => {
    const first = renderConsentPage(MODEL);
    expect(first).toContain('id="first-time"');
    expect(first).not.toContain('id="seen-before"');
    const seen = renderConsentPage({ ...MODEL, seenBefore: true });
    expect(seen).toContain('id="seen-before"');
    expect(seen).not.toContain('id="first-time"');
  });

  it('escapes hostile values in every field: the markup is the same as for benign values', () => {
    const html = renderConsentPage({
      clientName: HOSTILE,
      clientId: `javascript:alert(3)//${HOSTILE}`,
      clientHost: HOSTILE,
      redirectHost: HOSTILE,
      scopes: [HOSTILE, HOSTILE, HOSTILE],
      userName: HOSTILE,
      seenBefore: false,
      csrfToken: `x" autofocus onfocus="alert(4)`,
      formAction: `./a" formaction="https://evil.example`,
    });
    // Escaped text holds no `<` and no `"`: so the tags, and their attributes once values are blanked, are the
    // page's own. Any injected tag or attribute would change this list.
    expect(markup(html)).toEqual(markup(renderConsentPage(MODEL)));
    expect(html).not.toMatch(/<script/i);
    // The javascript: client id is text, never a link target.
    expect(html).not.toMatch(/href=/i);
    expect(html).toContain('<code id="client-id">javascript:alert(3)//&lt;script&gt;');
    expect(html).toContain('value="x&quot; autofocus onfocus=&quot;alert(4)"');
    expect(html.match(/&lt;script&gt;alert\(1\)&lt;\/script&gt;/g)?.length).toBe(8);
  });

  it.each(['javascript:alert(1)', 'https://evil.example/consent', '//evil.example/consent', '/\\evil.example'])(
    'refuses a form action that is not a same-origin path: %s',
    (formAction) => {
      expect(() => renderConsentPage({ ...MODEL, formAction })).toThrow(/same-origin path/);
    },
  );

  it('has no script, no inline style attribute and no external resource', () => {
    const html = renderConsentPage(MODEL);
    expect(html).not.toMatch(/<script|\sstyle=|<link|\ssrc=|<iframe|<object|@import|url\(/i);
  });

  it('declares the language and a mobile viewport, and gives both buttons visible names', () => {
    const html = renderConsentPage(MODEL);
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(html).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(html).toContain('<button type="submit" class="approve" name="decision" value="approve">Approve</button>');
    expect(html).toContain('<button type="submit" class="deny" name="decision" value="deny">Deny</button>');
  });

  it('has exactly one style element, and the CSP hash is the hash of its text', () => {
    const html = renderConsentPage(MODEL);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)];
    expect(styles).toHaveLength(1);
    const hash = createHash('sha256')
      .update(styles[0]?.[1] ?? '', 'utf8')
      .digest('base64');
    expect(CONSENT_CONTENT_SECURITY_POLICY).toContain(`style-src 'sha256-${hash}'`);
  });
});
