/** Parsing container image references (registry/repository:tag@digest), the way the container runtime reads them. */

export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export function parseImageReference(image: string): ImageReference {
  let rest = image.trim();
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const lastColon = rest.lastIndexOf(':');
  if (lastColon > lastSlash) {
    tag = rest.slice(lastColon + 1);
    rest = rest.slice(0, lastColon);
  }
  const firstSlash = rest.indexOf('/');
  const first = firstSlash === -1 ? '' : rest.slice(0, firstSlash);
  // Like Docker: the first component is a registry only if it looks like a host (has a dot or a port, or is localhost).
  const hasRegistry = first !== '' && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasRegistry ? first : 'docker.io';
  const repository = hasRegistry ? rest.slice(firstSlash + 1) : rest;
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** Glob match with '*' for any run of characters (e.g. '*.azurecr.io'). */
export function globMatches(pattern: string, value: string): boolean {
  const escaped = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 'i').test(value);
}
