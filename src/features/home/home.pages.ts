import type { RequestHandler } from 'express';
import { renderPage } from '../../http/render';

/** GET /: the signed-in person's start page, or a welcome with the ways in. */
export const showHome: RequestHandler = async (req, res) => {
  const t = res.locals.t;
  if (req.user) {
    await renderPage(res, 'home/home', { title: t('home.title') });
  } else {
    await renderPage(res, 'home/welcome', { title: t('home.welcomeTitle', { product: res.locals.productName as string }) });
  }
};
