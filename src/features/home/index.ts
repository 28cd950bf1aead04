import { Router } from 'express';
import type { Feature } from '../../http/feature';
import { URLS } from '../../http/urls';
import { showHome } from './home.pages';

/** The front page: a welcome for visitors, a start page for the signed-in. */
export function createHomeFeature() {
  const routes = Router();
  routes.get(URLS.home, showHome);
  return { services: {}, routes } satisfies Feature;
}
