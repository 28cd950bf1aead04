/**
 * Every URL of the site, by name: routes mount these patterns, pages redirect to them,
 * views link to them (`path(...)` in every view) and mail links are built from them.
 * A URL changes here and nowhere else.
 */
export const URLS = {
  home: '/',
  healthz: '/healthz',
  readyz: '/readyz',
  assets: '/assets',
  avatarFile: '/avatars/:hash/:size.webp',
  appearance: '/appearance',
  passwordStrength: '/password/strength',

  signUp: '/signup',
  signIn: '/login',
  signInPasskey: '/login/passkey',
  signInPasskeyOptions: '/login/passkey/options',
  secondFactor: '/login/2fa',
  secondFactorPasskey: '/login/2fa/passkey',
  secondFactorPasskeyOptions: '/login/2fa/passkey/options',
  signOut: '/logout',
  forgotPassword: '/forgot-password',
  resetPassword: '/reset-password/:token',
  verifyEmailResend: '/verify-email',
  verifyEmail: '/verify-email/:token',
  confirmEmailChange: '/confirm-email/:token',
  undoEmailChange: '/undo-email-change/:token',
  confirmRecoveryEmail: '/confirm-recovery-email/:token',
  lockdown: '/not-me/:token',

  reauth: '/reauth',
  reauthPasskey: '/reauth/passkey',
  reauthPasskeyOptions: '/reauth/passkey/options',
  reauthDrop: '/reauth/drop',
  reauthIdentity: '/reauth/oidc/:provider',

  identitySignInStart: '/auth/oidc/:provider/start',
  identityCallback: '/auth/oidc/:provider/callback',
  identitySignUp: '/auth/oidc/signup',

  profile: '/profile',
  account: '/profile/account',
  accountName: '/profile/account/name',
  accountEmail: '/profile/account/email',
  accountEmailCancel: '/profile/account/email/cancel',
  accountRecoveryEmail: '/profile/account/recovery-email',
  accountRecoveryEmailRemove: '/profile/account/recovery-email/remove',
  accountAvatar: '/profile/account/avatar',
  accountAvatarRemove: '/profile/account/avatar/remove',
  password: '/profile/password',
  preferences: '/profile/preferences',
  preferencesNotices: '/profile/preferences/notices',
  sessions: '/profile/sessions',
  sessionRevoke: '/profile/sessions/:id/revoke',
  sessionsRevokeOthers: '/profile/sessions/revoke-others',
  security: '/profile/security',
  totp: '/profile/security/totp',
  totpDisable: '/profile/security/totp/disable',
  recoveryCodes: '/profile/security/recovery-codes',
  recoveryCodesText: '/profile/security/recovery-codes.txt',
  recoveryCodesSaved: '/profile/security/recovery-codes/saved',
  passkeys: '/profile/security/passkeys',
  passkeyOptions: '/profile/security/passkeys/options',
  passkeyRename: '/profile/security/passkeys/:id/rename',
  passkeyRemove: '/profile/security/passkeys/:id/remove',
  tokens: '/profile/tokens',
  tokenRegenerate: '/profile/tokens/:id/regenerate',
  tokenRevoke: '/profile/tokens/:id/revoke',
  appPasswords: '/profile/app-passwords',
  appPasswordRevoke: '/profile/app-passwords/:id/revoke',
  keys: '/profile/keys',
  keyDelete: '/profile/keys/:id/delete',
  authorizedKeys: '/users/:username.keys',
  activity: '/profile/activity',
  data: '/profile/data',
  dataExport: '/profile/data/export',
  deleteAccount: '/profile/delete',
  connections: '/profile/connections',
  connectionConnect: '/profile/connections/:provider/connect',
  connectionRemove: '/profile/connections/:id/remove',
  connectionSetPassword: '/profile/connections/set-password',
  connectedApps: '/profile/apps',
  connectedAppRevoke: '/profile/apps/:client/revoke',

  providerDiscovery: '/.well-known/openid-configuration',
  providerEndpoints: '/oidc',
  interaction: '/interaction/:uid',
  interactionConfirm: '/interaction/:uid/confirm',
  interactionAbort: '/interaction/:uid/abort',

  admin: '/admin',
  adminUsers: '/admin/users',
  adminUserNew: '/admin/users/new',
  adminUser: '/admin/users/:username',
  adminUserRole: '/admin/users/:username/role',
  adminUserDelete: '/admin/users/:username/delete',
  adminSettings: '/admin/settings',
  adminAudit: '/admin/audit',
  adminUserLock: '/admin/users/:username/lock',
  adminUserUnlock: '/admin/users/:username/unlock',
  adminUserResetTwoStep: '/admin/users/:username/reset-two-step',
  adminUserPasswordReset: '/admin/users/:username/password-reset',
  adminUserResendVerification: '/admin/users/:username/resend-verification',
  adminUserMarkVerified: '/admin/users/:username/mark-verified',
  adminUserEndSessions: '/admin/users/:username/sessions/end-all',
  adminUserEndSession: '/admin/users/:username/sessions/:id/end',
  adminUserRevokeToken: '/admin/users/:username/tokens/:id/revoke',
  adminUserRevokeAppPassword: '/admin/users/:username/app-passwords/:id/revoke',
  adminUserDeleteKey: '/admin/users/:username/keys/:id/delete',
  adminAuditCsv: '/admin/audit.csv',
  adminAuditJson: '/admin/audit.json',
  adminApplications: '/admin/applications',
  adminApplicationRemove: '/admin/applications/:client/remove',

  api: '/api/v1',
  openApiDocument: '/api/v1/openapi.json',
  apiDocs: '/api/docs',
} as const;

export type UrlName = keyof typeof URLS;

/**
 * The path of the URL named `name`, its `:parameters` filled in from `params` (encoded).
 * A parameter left out is a programming error, so it throws rather than link nowhere.
 */
export function pathTo(name: UrlName, params: Record<string, string | number> = {}): string {
  return URLS[name].replace(/:([a-z]+)/gi, (_match, key: string) => {
    const value = params[key];
    if (value === undefined) throw new Error(`pathTo(${name}) needs :${key}`);
    return encodeURIComponent(String(value));
  });
}
