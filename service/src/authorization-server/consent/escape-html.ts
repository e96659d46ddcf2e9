const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Text for HTML element content and quoted attribute values. Every value the consent page shows is attacker-chosen
 * (a client name and id come from a document on the client's own server), so nothing is written unescaped. It does
 * not make a URL safe to put in `href`: the page never links a client-supplied URL at all.
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => ENTITIES[character] ?? character);
}
