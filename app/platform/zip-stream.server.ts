// A ZIP download built one file at a time as the client reads it, so memory stays flat however
// many files there are. Files are stored, not deflated: PDFs are compressed already.
import { Zip, ZipPassThrough } from "fflate";

export type ZipEntry = { name: string; bytes: Uint8Array };

/** Streams the entries `next` gives, in order, until it returns null. */
export function zipStream(next: () => Promise<ZipEntry | null>): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const zip = new Zip((err, chunk, final) => {
    if (err) return controller.error(err);
    controller.enqueue(chunk);
    if (final) controller.close();
  });
  return new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
    },
    async pull() {
      const entry = await next();
      if (!entry) {
        zip.end();
        return;
      }
      const file = new ZipPassThrough(entry.name);
      file.mtime = new Date();
      zip.add(file);
      file.push(entry.bytes, true);
    },
  });
}
