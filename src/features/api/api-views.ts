import type { z } from 'zod';
import type { ApiToken, SshKey } from '../credentials/credentials.repository';
import { avatarUrl } from '../profile/avatar-files.routes';
import type { SessionView } from '../sessions/sessions.service';
import type { User } from '../users/user';
import type { sessionResponse, sshKeyResponse, tokenResponse, userResponse } from './api.schemas';

/** Domain objects as the JSON API shows them (snake_case, RFC 3339 times, never a secret or a digest). */

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** Absolute avatar URLs: API clients have no page to resolve a relative one against. */
export function userView(user: User, baseUrl: URL): z.infer<typeof userResponse> {
  const avatar = avatarUrl(user.avatarHash, 256);
  return {
    id: user.id,
    username: user.username,
    email: user.email,
    email_verified: user.emailVerifiedAt !== null,
    recovery_email: user.recoveryEmail,
    first_name: user.firstName,
    last_name: user.lastName,
    language: user.language,
    theme: user.theme,
    avatar_url: avatar && new URL(avatar, baseUrl).href,
    two_factor_enabled: user.mfaEnabled,
    created_at: user.createdAt.toISOString(),
  };
}

export function sessionView(session: SessionView): z.infer<typeof sessionResponse> {
  const d = session.device;
  return {
    id: session.id,
    current: session.current,
    browser: [d.browser, d.browserVersion].filter(Boolean).join(' '),
    os: [d.os, d.osVersion].filter(Boolean).join(' '),
    device: [d.deviceVendor, d.deviceModel].filter(Boolean).join(' '),
    ip: session.ip,
    method: session.method,
    created_at: session.createdAt.toISOString(),
    last_seen_at: session.lastSeenAt.toISOString(),
    expires_at: session.expiresAt.toISOString(),
  };
}

export function tokenView(token: ApiToken, masked: string, now: Date): z.infer<typeof tokenResponse> {
  return {
    id: token.id,
    name: token.name,
    masked,
    scope: token.scope,
    allowed_ips: token.allowedIps,
    created_at: token.createdAt.toISOString(),
    expires_at: token.expiresAt.toISOString(),
    expired: token.expiresAt.getTime() <= now.getTime(),
    last_used_at: iso(token.lastUsedAt),
    last_used_ip: token.lastUsedIp,
  };
}

export function sshKeyView(key: SshKey): z.infer<typeof sshKeyResponse> {
  return {
    id: key.id,
    title: key.title,
    type: key.keyType,
    bits: key.bits,
    fingerprint: key.fingerprint,
    comment: key.comment,
    public_key: key.publicKey,
    created_at: key.createdAt.toISOString(),
  };
}
