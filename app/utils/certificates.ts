// Certificate rules shared by server and pages (no I/O here). Codes are 20 symbols of Crockford
// base32 (100 random bits), stored without separators, shown as KNS-XXXX-XXXX-XXXX-XXXX-XXXX.

export const CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
export const CODE_LENGTH = 20;
export const CODE_PREFIX = "KNS";
/** Longer input is refused before any other work: no real code comes close. */
export const MAX_CODE_INPUT = 64;

/** Bounds the ZIP download: beyond this the HR officer narrows the period or the unit. */
export const ZIP_LIMIT = 5000;
/** Longest accepted reason for a revocation. */
export const REASON_MAX = 500;

const CANONICAL = /^[0-9A-HJKMNP-TV-Z]{20}$/;

/** Turns 20 random bytes into a canonical code; each byte's low 5 bits are one uniform symbol. */
export function codeFromBytes(bytes: Uint8Array): string {
  if (bytes.length < CODE_LENGTH) throw new Error("need 20 random bytes");
  let code = "";
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[bytes[i] & 31];
  return code;
}

/**
 * The canonical form of what someone typed or scanned, or null when it cannot be a code.
 * Case, spaces and dashes do not matter, the KNS prefix is optional, and the letters people
 * confuse with digits are read as Crockford defines them (O→0, I/L→1).
 */
export function normalizeCode(input: string): string | null {
  if (input.length > MAX_CODE_INPUT) return null;
  let s = input.toUpperCase().replace(/[\s\-_.]/g, "");
  if (s.length === CODE_LENGTH + CODE_PREFIX.length && s.startsWith(CODE_PREFIX)) s = s.slice(CODE_PREFIX.length);
  s = s.replace(/O/g, "0").replace(/[IL]/g, "1");
  return CANONICAL.test(s) ? s : null;
}

/** KNS-7Q4M-2XKD-9HRT-BW3E-6PJC */
export function groupCode(code: string): string {
  return [CODE_PREFIX, ...(code.match(/.{1,4}/g) ?? [])].join("-");
}
