// The secrets that let a person set a password without one: a link sent by mail (activation or
// password reset) or a code printed on an activation letter. Only a SHA-256 hash of each is
// stored; the secret itself exists only in the mail or on the paper.
import crypto from "node:crypto";

/** A link's secret: 256 random bits, URL-safe. */
export function newLinkSecret(): string {
  return crypto.randomBytes(32).toString("base64url");
}

// Crockford's base 32: no I, L, O or U, so a code copied from paper is not misread.
const LETTER_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const LETTER_CODE_LENGTH = 12; // 60 bits; guessing is also rate-limited per address

/** A letter's code, typed by hand: twelve characters in groups of four ("7KQ2-M9XD-4TRE"). */
export function newLetterCode(): string {
  const bytes = crypto.randomBytes(LETTER_CODE_LENGTH);
  const chars = Array.from(bytes, (b) => LETTER_ALPHABET[b & 31]);
  return [0, 4, 8].map((i) => chars.slice(i, i + 4).join("")).join("-");
}

/**
 * A letter's code as a person may type it (lower case, spaces, dashes, O for 0, I or L for 1)
 * in its one canonical form, or null when it cannot be one.
 */
export function normaliseLetterCode(input: string): string | null {
  const chars = input
    .toUpperCase()
    .replace(/[\s-]/g, "")
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
  if (chars.length !== LETTER_CODE_LENGTH || [...chars].some((c) => !LETTER_ALPHABET.includes(c))) return null;
  return [0, 4, 8].map((i) => chars.slice(i, i + 4)).join("-");
}

/** What is stored for a secret. The secrets carry enough randomness that a plain hash suffices. */
export function secretHash(secret: string): string {
  return crypto.createHash("sha256").update(secret).digest("hex");
}
