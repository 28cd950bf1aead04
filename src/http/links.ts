import { pathTo, type UrlName } from './urls';

/** Every link the service hands out (mail, CLI) is built from BASE_URL and the URL table, never from the Host header. */
export function createLinks(baseUrl: URL) {
  const at = (name: UrlName, params?: Record<string, string>) => new URL(pathTo(name, params), baseUrl).href;
  return {
    home: () => at('home'),
    signIn: () => at('signIn'),
    signUp: () => at('signUp'),
    forgotPassword: () => at('forgotPassword'),
    resetPassword: (token: string) => at('resetPassword', { token }),
    verifyEmail: (token: string) => at('verifyEmail', { token }),
    confirmEmailChange: (token: string) => at('confirmEmailChange', { token }),
    undoEmailChange: (token: string) => at('undoEmailChange', { token }),
    confirmRecoveryEmail: (token: string) => at('confirmRecoveryEmail', { token }),
    account: () => at('account'),
    security: () => at('security'),
    tokens: () => at('tokens'),
    lockdown: (token: string) => at('lockdown', { token }),
  };
}

export type Links = ReturnType<typeof createLinks>;
