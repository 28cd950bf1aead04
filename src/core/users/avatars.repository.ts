import type { Knex } from 'knex';

interface AvatarRow {
  user_id: string;
  content_hash: string;
  mime: string;
  bytes: Buffer;
  small_bytes: Buffer;
  updated_at: Date;
}

export function createAvatarsRepository(db: Knex | Knex.Transaction) {
  const avatars = () => db<AvatarRow>('avatars');
  return {
    async upsert(avatar: { userId: string; hash: string; large: Buffer; small: Buffer; now: Date }): Promise<void> {
      await avatars()
        .insert({ user_id: avatar.userId, content_hash: avatar.hash, mime: 'image/webp', bytes: avatar.large, small_bytes: avatar.small, updated_at: avatar.now })
        .onConflict('user_id')
        .merge();
    },

    async findByHash(hash: string): Promise<{ large: Buffer; small: Buffer; mime: string } | undefined> {
      const row = await avatars().select('bytes', 'small_bytes', 'mime').where({ content_hash: hash }).first();
      return row && { large: Buffer.from(row.bytes), small: Buffer.from(row.small_bytes), mime: row.mime };
    },

    async delete(userId: string): Promise<void> {
      await avatars().where({ user_id: userId }).del();
    },
  };
}

export type AvatarsRepository = ReturnType<typeof createAvatarsRepository>;
