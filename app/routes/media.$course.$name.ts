import type { LoaderFunctionArgs } from "@remix-run/node";
import { findMediaFile } from "~/content/authoring.data.server";
import { requireUser } from "~/identity/auth.server";
import { requireCourseMediaAccess } from "~/content/media-access.server";
import { mediaResponse } from "~/content/media-serve.server";
import { MEDIA_NAME } from "~/utils/authoring";
import { notFound } from "~/platform/request.server";
import { SLUG } from "~/utils/course";

/**
 * A file of a course's media library (image, video, audio, captions, PDF), for those who may
 * read the course (see media-access.server.ts), with byte ranges (media-serve.server.ts). The
 * bytes were checked at upload, and the headers stop a browser from treating them as anything
 * else (X-Content-Type-Options: nosniff is already on every response, see server/guards.ts).
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
  return mediaResponse(request, { ...file, name });
}
