import type { RequestContext } from '../../http/request-context';
import { OPERATOR, type AuditActor } from './admin-audit.repository';

/** Who asked, from where: an administrator's request, or an operator command (no session). */
export type ActorContext = Pick<RequestContext, 'ip' | 'userAgent' | 'locale' | 'sessionId'> & { actor: AuditActor };

/** An operator command's context: no account, no address, mail in English unless the person chose otherwise. */
export const OPERATOR_CONTEXT: ActorContext = { actor: OPERATOR, ip: '', userAgent: '', locale: 'en' };
