import type { Clock } from '../../infra/clock';
import type { Limiter } from '../../infra/rate-limit';
import { NotFoundError, ValidationError, type FieldErrors } from '../../infra/errors';
import type { RequestContext } from '../../http/request-context';
import type { CredentialsRepository } from './credentials.repository';
import type { Repos } from '../../core/repos';
import type { NoticeTables, SecurityNotices } from '../../core/security/security-notices';
import type { User } from '../../core/users/user';
import { DuplicateSshKeyError, type SshKey } from './credentials.repository';
import { SshKeyError, parseSshPublicKey, type ParsedSshKey } from './ssh-key-parser';

/** The tables this module reads and writes. */
type Tables = NoticeTables & { credentials: CredentialsRepository };

const PROBLEM_MESSAGES = {
  private: 'keys.errors.private',
  malformed: 'keys.errors.malformed',
  unsupported: 'keys.errors.unsupported',
  weakRsa: 'keys.errors.weakRsa',
} as const;

/** SSH public keys: parsed and checked, fingerprinted like ssh-keygen, one account per key. */
export function createSshKeysService(deps: { repos: Repos<Tables>; clock: Clock; notices: SecurityNotices; authorizedKeysLimiter: Limiter }) {
  const { repos, clock } = deps;

  /** The key parsed, or why it cannot be added. */
  function parseKey(key: string): { parsed: ParsedSshKey } | { errors: FieldErrors } {
    try {
      return { parsed: parseSshPublicKey(key) };
    } catch (err) {
      if (err instanceof SshKeyError) return { errors: { key: { key: PROBLEM_MESSAGES[err.problem] } } };
      throw err;
    }
  }

  return {
    /** The rule that needs no database, over whichever fields are valid: the key is a public key this service accepts. */
    check(input: Partial<{ title: string; key: string }>): FieldErrors {
      const result = input.key === undefined ? undefined : parseKey(input.key);
      return result && 'errors' in result ? result.errors : {};
    },

    list: (user: User): Promise<SshKey[]> => repos.credentials.listSshKeys(user.id),

    async add(user: User, input: { title: string; key: string }, ctx: RequestContext): Promise<SshKey> {
      const result = parseKey(input.key);
      if ('errors' in result) throw new ValidationError(result.errors);
      const { parsed } = result;
      try {
        return await repos.transaction(async (tx) => {
          const key = await tx.credentials.insertSshKey({ userId: user.id, title: input.title, keyType: parsed.label, bits: parsed.bits, fingerprint: parsed.fingerprint, publicKey: parsed.publicKey, comment: parsed.comment, now: clock.now() });
          await deps.notices.record(tx, user, 'ssh_key_added', ctx, { name: input.title, fingerprint: parsed.fingerprint });
          return key;
        });
      } catch (err) {
        if (err instanceof DuplicateSshKeyError) throw ValidationError.field('key', 'keys.errors.duplicate');
        throw err;
      }
    },

    async remove(user: User, id: string, ctx: RequestContext): Promise<void> {
      const key = await repos.credentials.findSshKey(user.id, id);
      if (!key) throw new NotFoundError('keys.errors.notFound');
      await repos.transaction(async (tx) => {
        await tx.credentials.deleteSshKey(user.id, id);
        await deps.notices.record(tx, user, 'ssh_key_removed', ctx, { name: key.title, fingerprint: key.fingerprint });
      });
    },

    /**
     * authorized_keys lines for provisioning (GET /users/<username>.keys); undefined for no
     * such account. Public, as on GitHub, but every request counts against the caller's
     * address, known name or not: the 404 for unknown names must not serve as a fast
     * directory of who has an account.
     */
    async authorizedKeys(username: string, ctx: RequestContext): Promise<string | undefined> {
      await deps.authorizedKeysLimiter.consume(ctx.ip);
      const user = await repos.users.findByUsername(username);
      if (!user) return undefined;
      const keys = await repos.credentials.listSshKeys(user.id);
      return keys.map((k) => `${k.publicKey}\n`).join('');
    },
  };
}

export type SshKeysService = ReturnType<typeof createSshKeysService>;
