/**
 * Every message the service sends and the data its template needs. Templates live in
 * views/emails/<name>.html.ejs and <name>.text.ejs; subjects in locales under emails.<name>.
 */
/** Where a request came from, told to the owner in security mail. */
export interface RequestOrigin {
  ip: string;
  browser: string;
  os: string;
}

export interface MailTemplates {
  password_reset: { firstName: string; link: string; hours: number } & RequestOrigin;
  /** `signUpLink` null: sign-up is closed, so the note offers none. */
  password_reset_unknown: { signUpLink: string | null } & RequestOrigin;
  /** "Forgot password" for a person from the directory: no link, where to change it instead (`changeUrl` null: ask the administrators). */
  password_in_directory: { firstName: string; changeUrl: string | null } & RequestOrigin;
  password_changed: { firstName: string; when: string; resetLink: string; notMeLink: string } & RequestOrigin;
  email_verification: { firstName: string; link: string; hours: number };
  email_change_verify: { firstName: string; newEmail: string; link: string; hours: number };
  email_change_taken: RequestOrigin;
  email_changed: { firstName: string; newEmail: string; when: string; undoLink: string; days: number; notMeLink: string } & RequestOrigin;
  recovery_email_verify: { firstName: string; link: string; hours: number };
  /** `byAdministrator`: deleted in the console, not by its owner (absent in older queued mail). */
  account_deleted: { firstName: string; username: string; byAdministrator?: boolean };
  /** An account made for someone by an administrator or operator: the link chooses its first password. */
  account_invitation: { firstName: string; username: string; link: string; hours: number };
  /** An account made through an identity provider asked for its first password. */
  set_password_link: { firstName: string; link: string; hours: number } & RequestOrigin;
  token_expiring: { firstName: string; name: string; when: string; link: string };
  /** Two-step verification became required of this person; `deadline` empty: from their next sign-in. */
  two_step_required: { firstName: string; deadline: string; link: string };
  security_notice: { firstName: string; kind: string; detail: string; when: string; notMeLink: string } & RequestOrigin;
  /** Sent instead of a message whose link died before the mail server took it (see the outbox worker). */
  link_expired: { firstName: string; purpose: LinkTemplate; requestedAt: string; renewLink: string };
}

/** Messages built around a link that works for a limited time. */
export type LinkTemplate = 'password_reset' | 'email_verification' | 'email_change_verify' | 'recovery_email_verify' | 'account_invitation' | 'set_password_link';

export type MailTemplate = keyof MailTemplates;

/**
 * A message to queue. One built around a link must say how long the link works and where
 * to ask for a new one, so the outbox never delivers it dead (the compiler asks for it).
 */
export type QueuedMail<K extends MailTemplate = MailTemplate> = {
  to: string;
  template: K;
  locale: string;
  data: MailTemplates[K];
} & (K extends LinkTemplate ? { expiringLink: { lifetimeMs: number; renewLink: string } } : { expiringLink?: undefined });
