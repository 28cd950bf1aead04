import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

export const TOTP_PERIOD_SECONDS = 30;

/** A fresh 160-bit secret in base32, as authenticator apps expect. */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The secret in groups of four, for typing it in by hand. */
export function groupSecret(secret: string): string {
  return secret.match(/.{1,4}/g)?.join(' ') ?? secret;
}

/** The otpauth:// URI and its QR code as SVG markup (rendered here, so no script is needed). */
export async function provisioning(secret: string, issuer: string, label: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = generateURI({ issuer, label, secret });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { uri, qrSvg };
}

/**
 * The time step a code belongs to, or null. The current step is accepted, and with
 * `driftSteps` that many steps either side: a phone's clock may be ahead of the server's
 * or behind it. A step at or before `afterStep` (used already, or earlier than one used)
 * is refused.
 */
export async function matchTotp(secret: string, code: string, nowMs: number, driftSteps: number, afterStep: number): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const currentStep = Math.floor(nowMs / 1000 / TOTP_PERIOD_SECONDS);
  // Every step in reach is used up (otplib refuses such an afterTimeStep outright).
  if (afterStep >= currentStep + driftSteps) return null;
  const result = await verify({
    secret,
    token: code,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: driftSteps * TOTP_PERIOD_SECONDS,
    ...(afterStep >= 0 ? { afterTimeStep: afterStep } : {}),
  });
  return result.valid ? ((result as { timeStep?: number }).timeStep ?? null) : null;
}
