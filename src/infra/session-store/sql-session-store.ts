import { Store, type SessionData } from 'express-session';
import type { Db } from '../db';
import { upgradeSessionData } from './session-codec';
import { sessionHandle, storeExpiry, type EndReason, type SessionRecord } from './session-data';
import type { SessionRegistry } from './session-registry';
import { createSessionsRepository, type SessionsRepository } from './sessions.repository';

type Callback<T = void> = (err?: unknown, value?: T | null) => void;

/**
 * Sessions in the database (the embedded default). Rows are keyed by the SHA-256 of the
 * session id and indexed by user. There is no touch(): the session-activity middleware
 * saves the session at most once a minute, which also extends its expiry, so reading a
 * page writes nothing.
 */
export class SqlSessionStore extends Store implements SessionRegistry {
  private readonly sessions: SessionsRepository;

  /** How long the reason a session ended is kept: as long as its cookie can still come back. */
  private readonly endedTtlMs: number;

  constructor(db: Db, endedTtlMs: number) {
    super();
    this.sessions = createSessionsRepository(db);
    this.endedTtlMs = endedTtlMs;
  }

  private async ended(handles: string[], reason?: EndReason): Promise<void> {
    if (reason) await this.sessions.recordEnded(handles, reason, new Date(Date.now() + this.endedTtlMs));
  }

  get(sid: string, callback: Callback<SessionData>): void {
    this.sessions.find(sessionHandle(sid), new Date()).then(
      (data) => callback(null, data ? upgradeSessionData(data) : null),
      (err: unknown) => callback(err),
    );
  }

  set(sid: string, data: SessionData, callback?: Callback): void {
    const expiresAt = new Date(storeExpiry(data));
    const work =
      expiresAt.getTime() <= Date.now()
        ? this.sessions.delete(sessionHandle(sid))
        : this.sessions.upsert(sessionHandle(sid), data.userId ?? null, data, expiresAt);
    work.then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  destroy(sid: string, callback?: Callback): void {
    this.destroySession(sid).then(
      () => callback?.(),
      (err: unknown) => callback?.(err),
    );
  }

  async destroySession(sid: string): Promise<void> {
    await this.sessions.delete(sessionHandle(sid));
  }

  async listByUser(userId: string): Promise<SessionRecord[]> {
    const rows = await this.sessions.listLiveByUser(userId, new Date());
    return rows.map((row) => ({ id: row.id, userId, data: upgradeSessionData(row.data), expiresAt: new Date(row.expires_at) }));
  }

  countByUser(userId: string): Promise<number> {
    return this.sessions.countLiveByUser(userId, new Date());
  }

  async destroyByHandle(userId: string, handle: string, reason?: EndReason): Promise<boolean> {
    const deleted = await this.sessions.deleteForUser(userId, [handle], null);
    await this.ended(deleted, reason);
    return deleted.length > 0;
  }

  async destroyAllForUser(userId: string, exceptSid?: string, reason?: EndReason): Promise<number> {
    const deleted = await this.sessions.deleteForUser(userId, 'all', exceptSid ? sessionHandle(exceptSid) : null);
    await this.ended(deleted, reason);
    return deleted.length;
  }

  async takeEndReason(sid: string): Promise<EndReason | undefined> {
    return (await this.sessions.takeEnded(sessionHandle(sid), new Date())) as EndReason | undefined;
  }

  async sweepExpired(): Promise<number> {
    return this.sessions.deleteExpired(new Date());
  }

  async ping(): Promise<void> {
    await this.sessions.find('ping', new Date());
  }
}
