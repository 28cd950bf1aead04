import { Router } from 'express';
import { showHome } from './home.pages';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', showHome);
  return router;
}
