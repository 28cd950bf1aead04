import type { Request } from 'express';
import type { DataCipher } from '../../infra/crypto/data-cipher';

export interface NewSecret {
  kind: 'token' | 'app_password' | 'application';
  id: string;
  name: string;
  /** Null for a public application, registered without one: its client_id is still shown with the rest once. */
  secret: string | null;
}

/**
 * A secret is shown exactly once, on the page the form redirects to (so a reload or the
 * back button cannot show it again). Until then it waits in the session, encrypted.
 */
export function createNewSecrets(cipher: DataCipher) {
  return {
    remember(req: Request, secret: NewSecret): void {
      req.session.newSecret = cipher.encrypt(JSON.stringify(secret));
    },

    take(req: Request, kind: NewSecret['kind']): NewSecret | undefined {
      if (!req.session.newSecret) return undefined;
      const secret = JSON.parse(cipher.decrypt(req.session.newSecret)) as NewSecret;
      if (secret.kind !== kind) return undefined;
      delete req.session.newSecret;
      return secret;
    },
  };
}

export type NewSecrets = ReturnType<typeof createNewSecrets>;
