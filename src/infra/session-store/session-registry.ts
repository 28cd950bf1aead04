import type { Store } from 'express-session';
import type { SessionRecord } from './session-data';

/**
 * The session store plus what the profile needs from it. Both implementations keep a
 * per-user index, so listing and revoking cost O(sessions of that user), never a scan.
 */
export interface SessionRegistry extends Store {
  listByUser(userId: string): Promise<SessionRecord[]>;
  /** Ends one of the user's sessions by its public handle; false when it is not theirs or not live. */
  destroyByHandle(userId: string, handle: string): Promise<boolean>;
  destroyAllForUser(userId: string, exceptSid?: string): Promise<number>;
  destroySession(sid: string): Promise<void>;
  /** Removes sessions past their expiry that the store does not drop by itself. */
  sweepExpired(): Promise<number>;
  ping(): Promise<void>;
}
