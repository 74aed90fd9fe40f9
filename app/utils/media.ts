// What a course's media library accepts, shared by the upload form, the server checks, the
// content/ folder format and the lesson components (decision 029).
import { MAX_IMAGE_BYTES } from "./authoring";

export type MediaKind = "image" | "video" | "audio" | "captions" | "pdf";

/** Every accepted type, by the bytes it starts with (never by its name): its kind and extension. */
export const MEDIA_TYPES = {
  "image/png": { kind: "image", ext: "png" },
  "image/jpeg": { kind: "image", ext: "jpg" },
  "image/webp": { kind: "image", ext: "webp" },
  "image/gif": { kind: "image", ext: "gif" },
  "video/mp4": { kind: "video", ext: "mp4" },
  "video/webm": { kind: "video", ext: "webm" },
  "audio/mpeg": { kind: "audio", ext: "mp3" },
  "text/vtt": { kind: "captions", ext: "vtt" },
  "application/pdf": { kind: "pdf", ext: "pdf" },
} as const satisfies Record<string, { kind: MediaKind; ext: string }>;

export type MediaMime = keyof typeof MEDIA_TYPES;

/**
 * Size limits. Video 50 MB: about five minutes of 720p screen recording at 1.5 Mbit/s, what a
 * how-to clip needs; longer films should be cut into lessons. Audio 20 MB: twenty minutes of
 * MP3 at 128 kbit/s. PDF 10 MB: a decree or a form with scans. Captions are text.
 */
export const MEDIA_LIMITS: Record<MediaKind, number> = {
  image: MAX_IMAGE_BYTES,
  video: 50 * 1024 * 1024,
  audio: 20 * 1024 * 1024,
  captions: 512 * 1024,
  pdf: 10 * 1024 * 1024,
};

/** The largest upload any kind allows (the multipart parser's limit). */
export const MAX_MEDIA_BYTES = Math.max(...Object.values(MEDIA_LIMITS));

/** Kinds whose bytes are stored in pieces, so a byte range reads only the pieces it spans. */
export const CHUNKED_KINDS: readonly MediaKind[] = ["video", "audio", "pdf"];
export const MEDIA_CHUNK_BYTES = 256 * 1024;

export function mediaKindOf(mime: string): MediaKind | null {
  return Object.hasOwn(MEDIA_TYPES, mime) ? MEDIA_TYPES[mime as MediaMime].kind : null;
}

/** The upload field's `accept`: a hint for the file picker only; the bytes decide. */
export const MEDIA_ACCEPT = [...Object.keys(MEDIA_TYPES), ...Object.values(MEDIA_TYPES).map((t) => `.${t.ext}`)].join(",");
