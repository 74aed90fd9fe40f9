/** Lower case, without Vietnamese diacritics or extra spaces, for matching what people type: "AN TOÀN" and "an toan" fold alike. */
export function foldText(text: string): string {
  return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/đ/gi, "d").toLowerCase().replace(/\s+/g, " ").trim();
}
