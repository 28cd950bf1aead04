import { LOCALE_TAGS, isLocale, type Catalogues } from '../i18n';
import { renderTemplate, TEMPLATES_DIR } from '../templates';
import type { MailTemplate } from './mail-templates';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders a message in the recipient's language: an HTML part (tables and inline
 * styles, no remote images, for the mail clients people use) and a plain-text part.
 */
export function createMailRenderer(options: { catalogues: Catalogues; productName: string; baseUrl: URL; cache: boolean }) {
  const file = (name: string) => `${TEMPLATES_DIR}/emails/${name}`;
  const render = (name: string, locals: Record<string, unknown>) => renderTemplate(file(name), locals, { cache: options.cache });
  return {
    async render(template: MailTemplate, locale: string, data: Record<string, unknown>): Promise<RenderedMail> {
      const language = isLocale(locale) ? locale : 'en';
      const t = options.catalogues.translator(language);
      const locals = { ...data, t, product: options.productName, baseUrl: options.baseUrl.href, lang: LOCALE_TAGS[language] };
      // A notice's subject depends on its kind (security_notice.mfa_enabled.subject, ...).
      const subjectKey = typeof data.kind === 'string' ? `emails.${template}.${data.kind}.subject` : `emails.${template}.subject`;
      const subject = t(subjectKey, { product: options.productName, detail: String(data.detail ?? '') });
      const htmlBody = await render(`${template}.html.ejs`, locals);
      const textBody = await render(`${template}.text.ejs`, locals);
      return {
        subject,
        html: await render('layout.html.ejs', { ...locals, subject, body: htmlBody }),
        text: await render('layout.text.ejs', { ...locals, body: textBody.trim() }),
      };
    },
  };
}

export type MailRenderer = ReturnType<typeof createMailRenderer>;
