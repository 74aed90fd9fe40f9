// A media file as an HTTP response, with byte ranges (RFC 9110 §14): a video player asks for
// the part it needs (206), seeking asks for another; a range past the end is a 416. Chunked
// files (video, audio, PDF: decision 029) are read piece by piece as the client takes them, so
// a 50 MB video never sits whole in memory.
import { mediaChunks } from "~/content/authoring.data.server";
import { MEDIA_CHUNK_BYTES, mediaKindOf } from "~/utils/media";

type StoredMedia = { id: number; name: string; mime: string; size: number; sha256: string; data: Uint8Array<ArrayBuffer> };

/** The one range asked for, as first and last byte; "whole" when there is none or it is to be ignored. */
export function parseRange(header: string | null, size: number): { first: number; last: number } | "whole" | "unsatisfiable" {
  if (!header) return "whole";
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, or a header that does not parse, are ignored: the whole file is sent.
  if (!match || (match[1] === "" && match[2] === "")) return "whole";
  if (match[1] === "") {
    // A suffix: the last n bytes.
    const n = Number(match[2]);
    if (n === 0 || size === 0) return "unsatisfiable";
    return { first: Math.max(0, size - n), last: size - 1 };
  }
  const first = Number(match[1]);
  const last = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== "" && Number(match[2]) < first) return "whole";
  if (first >= size) return "unsatisfiable";
  return { first, last };
}

function chunkStream(mediaId: number, first: number, last: number): ReadableStream<Uint8Array<ArrayBuffer>> {
  let seq = Math.floor(first / MEDIA_CHUNK_BYTES);
  const lastSeq = Math.floor(last / MEDIA_CHUNK_BYTES);
  return new ReadableStream({
    async pull(controller) {
      // A few pieces (1 MB) per read: few queries, little memory.
      const pieces = await mediaChunks(mediaId, seq, Math.min(lastSeq, seq + 3));
      if (!pieces.length) return controller.close();
      for (const piece of pieces) {
        const start = piece.seq * MEDIA_CHUNK_BYTES;
        const from = Math.max(0, first - start);
        const to = Math.min(piece.data.byteLength, last - start + 1);
        controller.enqueue(piece.data.subarray(from, to));
        seq = piece.seq + 1;
      }
      if (seq > lastSeq) controller.close();
    },
  });
}

export function mediaResponse(request: Request, file: StoredMedia): Response {
  const etag = `"${file.sha256}"`;
  const kind = mediaKindOf(file.mime);
  const headers: Record<string, string> = {
    ETag: etag,
    // A name is never reused for other bytes, so the file may be kept for a long time.
    "Cache-Control": "private, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'",
    // A PDF is downloaded (the lesson offers it as a download); everything else shows in the page.
    "Content-Disposition": kind === "pdf" ? `attachment; filename="${file.name}"` : "inline",
    "Accept-Ranges": "bytes",
  };
  if ((request.headers.get("If-None-Match") ?? "").split(/\s*,\s*/).includes(etag)) return new Response(null, { status: 304, headers });
  const type = kind === "captions" ? "text/vtt; charset=utf-8" : file.mime;
  // If-Range: a range only of the same bytes the client already holds part of.
  const ifRange = request.headers.get("If-Range");
  const range = ifRange && ifRange !== etag ? "whole" : parseRange(request.headers.get("Range"), file.size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...headers, "Content-Range": `bytes */${file.size}` } });
  const { first, last } = range === "whole" ? { first: 0, last: file.size - 1 } : range;
  const length = Math.max(0, last - first + 1);
  const chunked = file.data.byteLength === 0 && file.size > 0;
  const body = length === 0 ? null : chunked ? chunkStream(file.id, first, last) : file.data.subarray(first, last + 1);
  const common = { ...headers, "Content-Type": type, "Content-Length": String(length) };
  if (range === "whole") return new Response(body, { status: 200, headers: common });
  return new Response(body, { status: 206, headers: { ...common, "Content-Range": `bytes ${first}-${last}/${file.size}` } });
}
