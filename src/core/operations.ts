/** One operation on an account, and whether it needs a recent sign-in. */
export interface Operation {
  readonly name: string;
  readonly recentAuth: boolean;
}

/** Names the table's rows and turns each into an Operation. */
function table<Name extends string>(recentAuth: Record<Name, boolean>): Record<Name, Operation> {
  return Object.fromEntries(Object.entries<boolean>(recentAuth).map(([name, recent]) => [name, { name, recentAuth: recent }])) as Record<Name, Operation>;
}

/**
 * What each operation on an account demands besides a signed-in person: `true` means a
 * sign-in or re-authentication within REAUTH_MINUTES. This is the only place that says so.
 * The page route and the API endpoint of an operation both name their row, so the HTML
 * and JSON doors cannot disagree (a test finds both doors of every row in the live router
 * and compares them). Pages send a person without a recent sign-in to /reauth; the API
 * answers a browser session 403 `reauth_required`.
 */
export const OPERATIONS = table({
  viewProfile: false,
  changeName: false,
  changeEmail: true,
  setRecoveryEmail: true,
  removeRecoveryEmail: true,
  changePassword: true,
  uploadAvatar: false,
  removeAvatar: false,
  exportData: true,
  deleteAccount: true,

  listSessions: false,
  revokeSession: true,
  revokeOtherSessions: true,

  setUpAuthenticatorApp: true,
  turnOffAuthenticatorApp: true,
  regenerateRecoveryCodes: true,
  addPasskey: true,
  removePasskey: true,

  listIdentities: false,
  connectIdentity: true,
  disconnectIdentity: true,
  sendSetPasswordLink: false,

  // Revoking only takes access away, so it needs no fresh sign-in.
  listConnectedApps: false,
  revokeConnectedApp: false,

  listTokens: false,
  createToken: true,
  regenerateToken: true,
  revokeToken: false,
  createAppPassword: true,
  listSshKeys: false,
  addSshKey: true,
  deleteSshKey: true,

  // The admin console: reading is open to every administrator; each action on an account,
  // a policy or an application asks for a fresh sign-in, as the profile's sensitive changes do.
  adminListUsers: false,
  adminViewUser: false,
  adminCreateUser: true,
  adminLockUser: true,
  adminUnlockUser: true,
  adminResetTwoStep: true,
  adminSendPasswordReset: true,
  adminResendVerification: true,
  adminMarkEmailVerified: true,
  adminChangeRole: true,
  adminEndSessions: true,
  adminEndSession: true,
  adminRevokeCredential: true,
  adminDeleteUser: true,
  adminViewPolicies: false,
  adminChangePolicies: true,
  adminViewAudit: false,
  adminListApplications: false,
  adminRegisterApplication: true,
  adminRemoveApplication: true,
});
