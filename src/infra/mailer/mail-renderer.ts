import ejs from 'ejs';
import { LOCALE_TAGS, isLocale, type Catalogues } from '../i18n';
import { fromRoot } from '../project-root';
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
export function createMailRenderer(options: { catalogues: Catalogues; productName: string; baseUrl: URL }) {
  const file = (name: string) => fromRoot('views', 'emails', name);
  return {
    async render(template: MailTemplate, locale: string, data: Record<string, unknown>): Promise<RenderedMail> {
      const language = isLocale(locale) ? locale : 'en';
      const t = options.catalogues.translator(language);
      const locals = { ...data, t, product: options.productName, baseUrl: options.baseUrl.href, lang: LOCALE_TAGS[language] };
      // A notice's subject depends on its kind (security_notice.mfa_enabled.subject, ...).
      const subjectKey = typeof data.kind === 'string' ? `emails.${template}.${data.kind}.subject` : `emails.${template}.subject`;
      const subject = t(subjectKey, { product: options.productName });
      const htmlBody = await ejs.renderFile(file(`${template}.html.ejs`), locals);
      const textBody = await ejs.renderFile(file(`${template}.text.ejs`), locals);
      return {
        subject,
        html: await ejs.renderFile(file('layout.html.ejs'), { ...locals, subject, body: htmlBody }),
        text: await ejs.renderFile(file('layout.text.ejs'), { ...locals, body: textBody.trim() }),
      };
    },
  };
}

export type MailRenderer = ReturnType<typeof createMailRenderer>;
