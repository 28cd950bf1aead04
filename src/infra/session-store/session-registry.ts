import type { Store } from 'express-session';
import type { EndReason, SessionRecord } from './session-data';

/**
 * The session store plus what the profile needs from it. Both implementations keep a
 * per-user index, so listing and revoking cost O(sessions of that user), never a scan.
 */
export interface SessionRegistry extends Store {
  listByUser(userId: string): Promise<SessionRecord[]>;
  /**
   * How many live sessions the user has, without reading them: at least the number
   * listByUser would return (an entry whose session just vanished may still count).
   */
  countByUser(userId: string): Promise<number>;
  /**
   * Ends one of the user's sessions by its public handle; false when the handle is not
   * one of theirs. With a reason, the device is told why when it next comes back.
   */
  destroyByHandle(userId: string, handle: string, reason?: EndReason): Promise<boolean>;
  destroyAllForUser(userId: string, exceptSid?: string, reason?: EndReason): Promise<number>;
  /** Why the session with this id was ended, once (the record is removed). */
  takeEndReason(sid: string): Promise<EndReason | undefined>;
  destroySession(sid: string): Promise<void>;
  /** Removes sessions past their expiry that the store does not drop by itself. */
  sweepExpired(): Promise<number>;
  ping(): Promise<void>;
}
