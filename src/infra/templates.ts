import ejs from 'ejs';
import { fromRoot } from './project-root';

/** Where every template lives; includes name their file from here ('/partials/field'). */
export const TEMPLATES_DIR = fromRoot('views');

/**
 * Renders an EJS template. Includes are written from the templates folder, which EJS
 * resolves by joining strings: a relative include costs a file-system check on every
 * render (58 on the Account tab), which was a tenth of a page's CPU time.
 * `cache` keeps compiled templates (production).
 */
export function renderTemplate(file: string, data: Record<string, unknown>, options: { cache: boolean }): Promise<string> {
  return ejs.renderFile(file, data, { root: TEMPLATES_DIR, cache: options.cache });
}
