import type { RequestContext } from '../../http/request-context';
import type { Clock } from '../../infra/clock';
import type { AuthenticatorsRepository } from '../mfa/authenticators.repository';
import type { CredentialsRepository } from '../credentials/credentials.repository';
import { connectionsOf } from '../identities/connections.service';
import type { UserIdentitiesRepository } from '../../core/identities/user-identities.repository';
import type { OidcProviderConfig } from '../../infra/oidc/oidc-providers-file';
import type { SecurityEventsRepository } from '../../core/security/security-events.repository';
import type { Repos } from '../../core/repos';
import { clientSummary } from '../../infra/user-agent';
import type { SessionsService } from '../sessions/sessions.service';
import type { User } from '../../core/users/user';
import type { ConnectedAppsService } from '../provider/connected-apps.service';

/** The tables this module reads and writes. */
type Tables = { authenticators: AuthenticatorsRepository; credentials: CredentialsRepository; events: SecurityEventsRepository; identities: UserIdentitiesRepository };

const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);

/**
 * "Download my data": everything kept about a person, as plain JSON. Built field by field
 * from an allow-list, never by dumping rows, so no password hash, token digest, TOTP
 * secret, recovery code or passkey public key can slip in as columns are added.
 */
export function createDataExportService(deps: {
  repos: Repos<Tables>;
  sessions: SessionsService;
  connectedApps: Pick<ConnectedAppsService, 'list'>;
  clock: Clock;
  productName: string;
  providers: ReadonlyArray<Pick<OidcProviderConfig, 'id' | 'name'>>;
}) {
  const { repos } = deps;
  return {
    /** A file name without the person's details (it lands in download folders and histories). */
    fileName: () => `${deps.productName.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-my-data.json`,

    async export(user: User, ctx: RequestContext) {
      const [sessions, tokens, appPasswords, sshKeys, passkeys, totp, codes, events, identities, apps] = await Promise.all([
        deps.sessions.list(user.id, ctx.sessionId),
        repos.credentials.listTokens(user.id),
        repos.credentials.listAppPasswords(user.id),
        repos.credentials.listSshKeys(user.id),
        repos.authenticators.listPasskeys(user.id),
        repos.authenticators.findTotp(user.id),
        repos.authenticators.findRecoveryCodes(user.id),
        repos.events.all(user.id),
        repos.identities.listByUser(user.id),
        deps.connectedApps.list(user),
      ]);
      return {
        exported_at: deps.clock.now().toISOString(),
        profile: {
          id: user.id,
          username: user.username,
          first_name: user.firstName,
          last_name: user.lastName,
          email: user.email,
          email_verified_at: iso(user.emailVerifiedAt),
          recovery_email: user.recoveryEmail,
          recovery_email_verified_at: iso(user.recoveryEmailVerifiedAt),
          role: user.role,
          has_avatar: user.avatarHash !== null,
          password_changed_at: iso(user.passwordChangedAt),
          created_at: iso(user.createdAt),
        },
        preferences: { language: user.language, theme: user.theme, new_device_notices: user.notifyNewDevice },
        two_step_verification: {
          authenticator_app_since: iso(totp?.createdAt),
          recovery_codes_left: codes ? codes.codes.filter((c) => !c.usedAt).length : 0,
          passkeys: passkeys.map((p) => ({ name: p.name, created_at: iso(p.createdAt), last_used_at: iso(p.lastUsedAt) })),
        },
        sessions: sessions.map((s) => ({ current: s.current, browser: `${s.device.browser} ${s.device.browserVersion}`.trim(), os: `${s.device.os} ${s.device.osVersion}`.trim(), ip: s.ip, method: s.method, created_at: iso(s.createdAt), last_seen_at: iso(s.lastSeenAt), expires_at: iso(s.expiresAt) })),
        personal_access_tokens: tokens.map((t) => ({ name: t.name, scope: t.scope, allowed_ips: t.allowedIps, created_at: iso(t.createdAt), expires_at: iso(t.expiresAt), last_used_at: iso(t.lastUsedAt), last_used_ip: t.lastUsedIp })),
        app_passwords: appPasswords.map((p) => ({ name: p.name, scope: p.scope, created_at: iso(p.createdAt), last_used_at: iso(p.lastUsedAt), last_used_ip: p.lastUsedIp })),
        identities: connectionsOf(identities, deps.providers).map((c) => ({ provider: c.provider, provider_name: c.providerName, issuer: c.issuer, subject: c.subject, email: c.email, name: c.displayName, created_at: iso(c.createdAt), last_used_at: iso(c.lastUsedAt) })),
        connected_apps: apps.map((a) => ({ client_id: a.clientId, name: a.name, scopes: a.scopes, allowed_at: iso(a.allowedAt), last_used_at: iso(a.lastUsedAt) })),
        ssh_keys: sshKeys.map((k) => ({ title: k.title, type: k.keyType, bits: k.bits, fingerprint: k.fingerprint, public_key: k.publicKey, comment: k.comment, created_at: iso(k.createdAt) })),
        activity: events.map((e) => ({ type: e.type, at: iso(e.createdAt), ip: e.ip, client: e.userAgent ? clientSummary(e.userAgent) : null, details: e.data })),
      };
    },
  };
}

export type DataExportService = ReturnType<typeof createDataExportService>;
