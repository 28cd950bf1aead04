import type { AdvisoryLocksRepository } from '../../infra/advisory-locks.repository';

/**
 * Taken (in the caller's transaction) before the ways into one account are counted and one
 * of them removed: a passkey, or a connected identity. Two removals of the account's last two
 * ways in then take turns, and the second sees that only one is left.
 */
export async function lockWaysIn(tx: { locks: AdvisoryLocksRepository }, userId: string): Promise<void> {
  await tx.locks.lock(`atrium:ways-in:${userId}`);
}
