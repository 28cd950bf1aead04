import type { SessionRegistry } from '../../infra/session-store/session-registry';
import type { RequestContext } from '../../http/request-context';

/**
 * "Also sign out all my other sessions", offered beside every change to how an account
 * signs in (ASVS 7.4.3): the session making the change stays, every other one ends.
 */
export async function endOtherSessions(sessions: SessionRegistry, userId: string, ctx: RequestContext, wanted: boolean): Promise<void> {
  if (wanted && ctx.sessionId) await sessions.destroyAllForUser(userId, ctx.sessionId, 'signed_out_everywhere');
}
