/** Every link the service hands out (mail, CLI) is built from BASE_URL, never from the Host header. */
export function createLinks(baseUrl: URL) {
  const at = (path: string) => new URL(path, baseUrl).href;
  return {
    home: () => at('/'),
    signIn: () => at('/login'),
    signUp: () => at('/signup'),
    forgotPassword: () => at('/forgot-password'),
    resetPassword: (token: string) => at(`/reset-password/${token}`),
    verifyEmail: (token: string) => at(`/verify-email/${token}`),
    confirmEmailChange: (token: string) => at(`/confirm-email/${token}`),
    undoEmailChange: (token: string) => at(`/undo-email-change/${token}`),
    confirmRecoveryEmail: (token: string) => at(`/confirm-recovery-email/${token}`),
    tokens: () => at('/profile/tokens'),
    lockdown: (token: string) => at(`/not-me/${token}`),
  };
}

export type Links = ReturnType<typeof createLinks>;
