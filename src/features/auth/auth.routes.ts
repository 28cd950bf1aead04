import { Router } from 'express';
import { requireAnonymous, requireUser } from '../../http/middleware/require-user';
import type { createEmailVerificationPages } from './email-verification.pages';
import type { createForgotPasswordPages } from './forgot-password.pages';
import type { createResetPasswordPages } from './reset-password.pages';
import type { createSignInPages } from './sign-in.pages';
import type { createSignOutPages } from './sign-out.pages';
import type { createSignUpPages } from './sign-up.pages';

export function authRoutes(pages: {
  signUp: ReturnType<typeof createSignUpPages>;
  signIn: ReturnType<typeof createSignInPages>;
  signOut: ReturnType<typeof createSignOutPages>;
  resetPassword: ReturnType<typeof createResetPasswordPages>;
  forgotPassword: ReturnType<typeof createForgotPasswordPages>;
  emailVerification: ReturnType<typeof createEmailVerificationPages>;
}): Router {
  const router = Router();
  router.get('/signup', requireAnonymous, pages.signUp.show);
  router.post('/signup', requireAnonymous, pages.signUp.submit);
  router.get('/login', requireAnonymous, pages.signIn.show);
  router.post('/login', requireAnonymous, pages.signIn.submit);
  router.post('/logout', pages.signOut.submit);
  router.get('/forgot-password', pages.forgotPassword.show);
  router.post('/forgot-password', pages.forgotPassword.submit);
  router.get('/reset-password/:token', pages.resetPassword.show);
  router.post('/reset-password/:token', pages.resetPassword.submit);
  router.post('/verify-email', requireUser, pages.emailVerification.resend);
  router.get('/verify-email/:token', pages.emailVerification.show);
  router.post('/verify-email/:token', pages.emailVerification.confirm);
  return router;
}
