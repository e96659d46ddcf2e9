import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../../src/authorization-server/consent/escape-html.js';

describe('escapeHtml', () => {
  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['"><img src=x onerror=alert(1)>', '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'],
    ["' onfocus='alert(1)", '&#39; onfocus=&#39;alert(1)'],
    ['Tom & Jerry &amp;', 'Tom &amp; Jerry &amp;amp;'],
    ['plain name', 'plain name'],
  ])('escapes %j', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('leaves no character that can open a tag or end a quoted attribute', () => {
    const hostile = `<>"'&`.repeat(3);
    expect(escapeHtml(hostile)).not.toMatch(/[<>"']/);
  });
});
