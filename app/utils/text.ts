/** Lower case, without Vietnamese diacritics or extra spaces, for matching what people type: "AN TOÀN" and "an toan" fold alike. */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().replace(/\s+/g, " ").trim();
}

/** A file-name-safe ASCII form of a Vietnamese name: "Nguyễn Thị Ánh" → "Nguyen-Thi-Anh". */
export function asciiName(value: string, fallback = "tep"): string {
  return (
    value
      .normalize("NFD")
      .replace(/\p{M}/gu, "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .replace(/[^A-Za-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || fallback
  );
}
