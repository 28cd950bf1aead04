import { describeApp } from '../../helpers/app';
import { csrfTokenIn } from '../../helpers/browser-agent';
import { createUser, signedIn } from '../../helpers/factories';
import { atSecondStep, enrolTotp } from '../../helpers/mfa';

const t = describeApp();

describe('The two-step sign-in page', () => {
  it('offers no "Sign in" or "Create account" in the header while the sign-in is under way', async () => {
    const user = await createUser(t);
    await enrolTotp(t, await signedIn(t, user));
    const { page } = await atSecondStep(t, user);
    expect(page).toContain('Two-step verification');
    expect(page).not.toContain('site-header__actions');
    expect(page).not.toContain('>Create account<');
  });

  it('can be cancelled: "Cancel sign-in" ends the half sign-in, and the second step then starts over', async () => {
    const user = await createUser(t);
    await enrolTotp(t, await signedIn(t, user));
    const { visitor, page } = await atSecondStep(t, user);
    expect(page).toMatch(/<form method="post" action="\/logout"[^>]*>[\s\S]*?Cancel sign-in<\/button>/);
    const cancelled = await visitor.post('/logout', { _csrf: csrfTokenIn(page) });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.location).toBe('/login?signed_out=1');
    const again = await visitor.get('/login/2fa');
    expect(again.status).toBe(303);
    expect(again.headers.location).toBe('/login');
  });
});
