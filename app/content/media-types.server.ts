// Which media type a file really is, from its first bytes: a text file renamed .mp4 is no video.
import { CHUNKED_KINDS, MEDIA_CHUNK_BYTES, MEDIA_TYPES, type MediaMime } from "~/utils/media";

const ascii = (bytes: Uint8Array, from: number, to: number) => String.fromCharCode(...bytes.subarray(from, Math.min(to, bytes.length)));
const startsWith = (bytes: Uint8Array, prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);

// ISO base media files say what they are in their first box ("ftyp") by a brand; these are the
// MP4 video brands. HEIF/AVIF images and M4A audio use the same box with other brands.
const MP4_BRANDS = new Set(["isom", "iso2", "iso3", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "M4VP", "dash", "mmp4", "MSNV"]);

const SIGNATURES: Record<MediaMime, (b: Uint8Array) => boolean> = {
  "image/png": (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  "image/jpeg": (b) => startsWith(b, [0xff, 0xd8, 0xff]),
  "image/gif": (b) => ascii(b, 0, 6) === "GIF87a" || ascii(b, 0, 6) === "GIF89a",
  "image/webp": (b) => ascii(b, 0, 4) === "RIFF" && ascii(b, 8, 12) === "WEBP",
  "video/mp4": (b) => ascii(b, 4, 8) === "ftyp" && MP4_BRANDS.has(ascii(b, 8, 12)),
  // Matroska's EBML header, with the "webm" document type near the start.
  "video/webm": (b) => startsWith(b, [0x1a, 0x45, 0xdf, 0xa3]) && ascii(b, 4, 64).includes("webm"),
  // An ID3 tag, or straight away an MPEG audio Layer III frame header (sync bits, layer 01).
  "audio/mpeg": (b) => ascii(b, 0, 3) === "ID3" || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0 && ((b[1] >> 1) & 3) === 1),
  // WebVTT: optional BOM, "WEBVTT", then a space, a tab, a line end or nothing; UTF-8 throughout.
  "text/vtt": (b) => {
    const body = startsWith(b, [0xef, 0xbb, 0xbf]) ? b.subarray(3) : b;
    if (ascii(body, 0, 6) !== "WEBVTT" || !(body.length === 6 || [0x20, 0x09, 0x0a, 0x0d].includes(body[6]))) return false;
    try {
      new TextDecoder("utf-8", { fatal: true }).decode(b);
      return true;
    } catch {
      return false;
    }
  },
  "application/pdf": (b) => ascii(b, 0, 5) === "%PDF-",
};

/** The accepted type the bytes are, or null. */
export function detectMediaType(bytes: Uint8Array): MediaMime | null {
  return (Object.keys(MEDIA_TYPES) as MediaMime[]).find((mime) => SIGNATURES[mime](bytes)) ?? null;
}

type NewMedia = { courseId: number; name: string; mime: MediaMime; sha256: string; bytes: Uint8Array<ArrayBuffer> };

/**
 * The Media row to create for a file, nested pieces included: images and captions keep their
 * bytes in the row; video, audio and PDF go in MEDIA_CHUNK_BYTES pieces (decision 029).
 */
export function mediaRow({ courseId, name, mime, sha256, bytes }: NewMedia) {
  const chunked = CHUNKED_KINDS.includes(MEDIA_TYPES[mime].kind);
  const chunks: { seq: number; data: Uint8Array<ArrayBuffer> }[] = [];
  if (chunked) for (let at = 0, seq = 0; at < bytes.byteLength; at += MEDIA_CHUNK_BYTES, seq++) chunks.push({ seq, data: bytes.subarray(at, at + MEDIA_CHUNK_BYTES) });
  return {
    courseId,
    name,
    mime,
    size: bytes.byteLength,
    sha256,
    data: chunked ? new Uint8Array(0) : bytes,
    ...(chunked && { chunks: { create: chunks } }),
  };
}

const SIZE_FORMAT = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });

/** A file size as lessons print it (lessons are in Vietnamese): "850 KB", "1,2 MB". */
export function formatFileSize(bytes: number): string {
  return bytes < 1024 * 1024 ? `${SIZE_FORMAT.format(Math.max(1, Math.round(bytes / 1024)))} KB` : `${SIZE_FORMAT.format(bytes / 1024 / 1024)} MB`;
}

/**
 * Fills in the size of each <Attachment> of a compiled lesson, from the course's library (a
 * name never gets other bytes, so the size stays true). Unknown files keep the plain "PDF".
 */
export function withAttachmentSizes(html: string, sizes: Map<string, number>): string {
  return html.replace(/<span data-attachment-size="([^"]*)">PDF<\/span>/g, (whole, src: string) => {
    const size = sizes.get(src.replace(/&amp;/g, "&"));
    return size === undefined ? "<span>PDF</span>" : `<span>PDF, ${formatFileSize(size)}</span>`;
  });
}
