import type { LoaderFunctionArgs } from "@remix-run/node";
import { audit } from "~/platform/audit.server";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { exportCourseZip } from "~/content/course-export.server";

/** The draft course as a ZIP in the content/ format, to keep in content/courses/ or share. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, ip, course } = await requireEditableCourse(request, context, params.course);
  const zip = await exportCourseZip(course);
  await audit({ action: "course.export", actorId: user.id, targetType: "course", targetId: course.id, ip });
  return new Response(zip, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${course.slug}.zip"`,
      "Cache-Control": "no-store",
    },
  });
}
