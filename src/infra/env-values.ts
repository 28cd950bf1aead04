import { z } from 'zod';

/** A yes-or-no setting, as operators write it. */
export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

/** Plain decimal digits only: " " is not 0, "0x10" is not 16 and "1e3" is not 1000. */
export const int = (min: number, max: number) =>
  z
    .string()
    .refine((v) => /^[0-9]+$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number written in decimal digits, from ${min} to ${max}`)
    .transform(Number);
