import { describe, expect, it } from 'vitest';
import { renderProblemPage, renderSignInPage } from '../../../src/dev/upstream-provider/sign-in-page.js';

describe('development upstream provider sign-in page', () => {
  const hostile = `"><script>alert('x')</script>&`;

  it('escapes every value it shows', () => {
    const html = renderSignInPage({
      action: `/interaction/${hostile}/login`,
      users: [{ sub: hostile, tenantId: 'acme', roles: [], name: hostile }],
      selected: hostile,
      problem: hostile,
    });
    expect(html).not.toContain('<script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;');
    expect(html).toContain(`value="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;" selected>`);
    expect(renderProblemPage(hostile, hostile)).not.toContain('<script');
  });
});
