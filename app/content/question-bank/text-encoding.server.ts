// Text question files come in UTF-8 (with or without a byte-order mark) or, from older Windows
// exports, in a Windows code page. Bytes that are not valid UTF-8 are read as Windows-1258
// (Vietnamese) when they hold its letters, else as Windows-1252 (Western). Text that still cannot
// be right is refused with the reason rather than imported as mojibake: Vietnamese typed with the
// old TCVN3/VNI fonts, or saved in a code page without Vietnamese letters ("?" in their place).

export type TextEncoding = "utf-8" | "utf-8-bom" | "windows-1258" | "windows-1252";

export class EncodingError extends Error {
  constructor(public readonly reason: "legacyFont" | "lostLetters" | "binary") {
    super(reason);
  }
}

// Letters only Vietnamese has; and the combining tone marks Windows-1258 writes after a vowel.
const VIETNAMESE_LETTERS = /[ăâđêôơưĂÂĐÊÔƠƯ]/g;
const TONE_MARKS = /[aeiouyăâêôơưAEIOUYĂÂÊÔƠƯ][\u0300\u0301\u0303\u0309\u0323]/g;
// TCVN3 (ABC) puts Vietnamese letters on the bytes of Latin-1 symbols: "ViÖt Nam", "Kü n¨ng".
const TCVN3 = /[A-Za-z][\u00a1-\u00bf\u00d7\u00f7]|[\u00a1-\u00bf\u00d7\u00f7][A-Za-z]/g;
// VNI writes a tone as a second accented letter after the vowel: "Vieät", "naêng", "soá".
const VNI = /[aeiouyAEIOUY][âêôöøùûåäæëïÂÊÔÖØÙÛ]/g;
// A character a code page could not hold becomes "?" inside a word.
const LOST = /[A-Za-zÀ-ÿ]\?+[A-Za-zÀ-ÿ]/g;

// Node's decoder reads "windows-1252" as Latin-1 (0x80–0x9F as control characters): those
// 32 bytes are mapped here, the rest of the code page is Latin-1.
const CP1252_HIGH = "€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ";

function windows1252(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80] : String.fromCharCode(b);
  return out;
}

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes.includes(0)) throw new EncodingError("binary");
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    // Plain ASCII may be Vietnamese saved by a code page that had to drop every letter.
    if (!/[\u0080-\uffff]/.test(text) && count(text, LOST) >= 2) throw new EncodingError("lostLetters");
    return { text: text.normalize("NFC"), encoding: bom ? "utf-8-bom" : "utf-8" };
  } catch {
    // Not UTF-8: a Windows code page.
  }
  const vietnamese = new TextDecoder("windows-1258").decode(bytes);
  if (count(vietnamese, TONE_MARKS) + count(vietnamese, VIETNAMESE_LETTERS) >= 2) {
    return { text: vietnamese.normalize("NFC"), encoding: "windows-1258" };
  }
  const western = windows1252(bytes);
  if (count(western, TCVN3) >= 3 || count(western, VNI) >= 3) throw new EncodingError("legacyFont");
  if (count(western, LOST) >= 2) throw new EncodingError("lostLetters");
  return { text: western.normalize("NFC"), encoding: "windows-1252" };
}
