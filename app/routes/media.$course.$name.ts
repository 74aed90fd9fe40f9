import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMediaFile } from "~/content/authoring.data.server";
import { requireUser } from "~/identity/auth.server";
import { requireCourseMediaAccess } from "~/content/media-access.server";
import { MEDIA_NAME } from "~/utils/authoring";
import { notFound } from "~/platform/request.server";
import { SLUG } from "~/utils/course";

/**
 * An image uploaded for a course, for those who may read the course (see media-access.server.ts). The bytes were checked at
 * upload, and the headers stop a browser from treating them as anything but an image
 * (X-Content-Type-Options: nosniff is already on every response, see server/guards.ts;
 * setting it here too would send it twice).
 */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const course = params.course ?? "";
  const name = params.name ?? "";
  if (course.length > 100 || !SLUG.test(course) || !MEDIA_NAME.test(name)) {
    await requireUser(request);
    throw notFound();
  }
  await requireCourseMediaAccess(request, context, course);
  const file = await findMediaFile(course, name);
  if (!file) throw notFound();
  const etag = `"${file.sha256}"`;
  const headers = {
    ETag: etag,
    // A name is never reused for other bytes, so the file may be kept for a long time.
    "Cache-Control": "private, max-age=31536000, immutable",
    "Content-Security-Policy": "default-src 'none'",
    "Content-Disposition": "inline",
  };
  if ((request.headers.get("If-None-Match") ?? "").split(/\s*,\s*/).includes(etag)) return new Response(null, { status: 304, headers });
  return new Response(file.data, { headers: { ...headers, "Content-Type": file.mime, "Content-Length": String(file.size) } });
}
