import { createHash } from 'node:crypto';

/**
 * The page's only styles, in one `<style>` element. The CSP allows exactly this text by its hash: a static sheet
 * needs no per-response nonce, and an injected `<style>` (or `style=` attribute) would not match and is not applied.
 * Large touch targets and one column keep it readable at 360 px; the focus ring is explicit so keyboard users see it.
 */
export const CONSENT_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1f;background:#f4f5f7}
main{max-width:34rem;margin:0 auto;padding:1.25rem}
h1{font-size:1.35rem;line-height:1.3;margin:0 0 .75rem;overflow-wrap:anywhere}
h2{font-size:1rem;margin:0}
.card{background:#fff;border:1px solid #d0d3d9;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
.notice{border-left:.35rem solid #b25e00;background:#fff6e5}
.seen{border-left:.35rem solid #2e7d32;background:#eef7ee}
dl{margin:0}dt{font-weight:600;margin-top:.5rem}dd{margin:0;overflow-wrap:anywhere}
ul{padding-left:1.25rem;margin:.5rem 0 0}li{margin:.35rem 0}
code{font:inherit;font-family:ui-monospace,Menlo,Consolas,monospace;overflow-wrap:anywhere}
.actions{display:flex;flex-wrap:wrap;gap:.75rem}
button{font:inherit;font-weight:600;min-height:3rem;min-width:8rem;flex:1 1 8rem;padding:.6rem 1.2rem;border-radius:.4rem;cursor:pointer}
button.approve{background:#0b57d0;color:#fff;border:2px solid #0b57d0}
button.deny{background:#fff;color:#1b1b1f;border:2px solid #5f6368}
button:focus-visible{outline:3px solid #1b1b1f;outline-offset:3px}
.muted{color:#4a4d55;font-size:.9rem}
`;

export const CONSENT_STYLE_HASH = `sha256-${createHash('sha256').update(CONSENT_STYLE, 'utf8').digest('base64')}`;
