import type { Application, Response } from 'express';
import { saveSession } from './session';

function renderView(app: Application, view: string, locals: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    app.render(view, locals, (err: Error | null, html?: string) => (err ? reject(err) : resolve(html ?? '')));
  });
}

/**
 * Renders a view inside the layout. Views get exactly res.locals (set by our own
 * middleware from explicit values) plus the locals given here: never the request.
 */
export async function renderPage(res: Response, view: string, locals: Record<string, unknown> = {}, status = 200): Promise<void> {
  const all = { ...res.locals, ...locals };
  const body = await renderView(res.app, view, all);
  // A page that reports a failure says so first in its title, which screen readers announce (GOV.UK's pattern).
  const html = await renderView(res.app, 'layouts/main', { ...all, body, failed: status >= 400 });
  // A form's token must be stored before the form is shown; if the store is down the
  // person gets the 503 page now rather than a form that can never be submitted.
  if (res.locals.sessionNeedsSave) await saveSession(res.req);
  res.status(status).type('html').send(html);
}
