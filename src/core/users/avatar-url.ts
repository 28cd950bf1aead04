import { pathTo } from '../../http/urls';

/** Where a person's avatar is served, by the digest of its content (so it can be cached forever). */
export function avatarUrl(hash: string | null, size: 256 | 96): string | null {
  return hash ? pathTo('avatarFile', { hash, size }) : null;
}
