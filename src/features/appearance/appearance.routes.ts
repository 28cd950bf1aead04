import { Router } from 'express';
import type { createAppearancePages } from './appearance.pages';

export function appearanceRoutes(pages: ReturnType<typeof createAppearancePages>): Router {
  const router = Router();
  router.get('/appearance', pages.choose);
  router.post('/appearance', pages.save);
  return router;
}
