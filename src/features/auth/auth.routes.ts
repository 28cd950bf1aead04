import { Router } from 'express';
import { requireAnonymous } from '../../http/middleware/require-user';
import type { createResetPasswordPages } from './reset-password.pages';
import type { createSignInPages } from './sign-in.pages';
import type { createSignOutPages } from './sign-out.pages';
import type { createSignUpPages } from './sign-up.pages';

export function authRoutes(pages: {
  signUp: ReturnType<typeof createSignUpPages>;
  signIn: ReturnType<typeof createSignInPages>;
  signOut: ReturnType<typeof createSignOutPages>;
  resetPassword: ReturnType<typeof createResetPasswordPages>;
}): Router {
  const router = Router();
  router.get('/signup', requireAnonymous, pages.signUp.show);
  router.post('/signup', requireAnonymous, pages.signUp.submit);
  router.get('/login', requireAnonymous, pages.signIn.show);
  router.post('/login', requireAnonymous, pages.signIn.submit);
  router.post('/logout', pages.signOut.submit);
  router.get('/reset-password/:token', pages.resetPassword.noReferrer, pages.resetPassword.show);
  router.post('/reset-password/:token', pages.resetPassword.noReferrer, pages.resetPassword.submit);
  return router;
}
