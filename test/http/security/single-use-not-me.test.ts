import { describeApp } from '../../helpers/app';
import { Visitor, csrfTokenIn } from '../../helpers/browser-agent';
import { atOnce, countStatus } from '../../helpers/concurrency';
import { createUser } from '../../helpers/factories';
import { linkIn } from '../../helpers/mail-catcher';

const t = describeApp({}, { mail: true });

const CLICKS = 5;
const ctx = { ip: '203.0.113.7', userAgent: 'curl/8.5.0', locale: 'en' as const };

describe('"This wasn\'t me" pressed in several browsers at the same moment', () => {
  it('locks the account down once: one lockdown event, one reset link, the other browsers told the link is used', async () => {
    const user = await createUser(t);
    await t.services.apiTokens.create(user, { name: 'Mallory', scope: 'write', expires: '30' }, ctx);
    await t.deliverMail();
    const notice = t.mail.to(user.email).find((m) => m.subject === 'A personal access token was created for your Atrium account');
    if (!notice) throw new Error('no notice');
    const path = new URL(linkIn(notice, `${t.config.baseUrl.origin}/not-me/`)).pathname;
    const browsers = await atOnce(CLICKS, async () => {
      const visitor = new Visitor(t.app);
      const page = await visitor.get(path);
      expect(page.status).toBe(200);
      return { visitor, csrf: csrfTokenIn(page.text) };
    });

    const answers = await atOnce(CLICKS, (i) => {
      const { visitor, csrf } = browsers[i] as (typeof browsers)[number];
      return visitor.post(path, { _csrf: csrf });
    });

    expect(countStatus(answers, 200)).toBe(1);
    expect(countStatus(answers, 404)).toBe(CLICKS - 1);
    for (const refused of answers.filter((a) => a.status === 404)) expect(refused.text).toContain('link works once and for 7 days');
    expect(await t.deps.db('security_events').where({ user_id: user.id, type: 'lockdown' })).toHaveLength(1);
    await t.deliverMail();
    expect(t.mail.to(user.email).filter((m) => m.subject === 'Reset your Atrium password')).toHaveLength(1);
  });
});
