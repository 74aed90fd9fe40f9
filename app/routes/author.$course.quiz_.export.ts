import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { EXPORT_FORMATS, exportBank, type ExportFormat } from "~/content/question-bank/question-export.server";
import { audit } from "~/platform/audit.server";
import { notFound } from "~/platform/request.server";

/** The draft bank as Moodle XML or GIFT, for the course's editors only (404 for anyone else). */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, ip, course } = await requireEditableCourse(request, context, params.course);
  const format = new URL(request.url).searchParams.get("format") ?? "";
  if (!(EXPORT_FORMATS as readonly string[]).includes(format)) throw notFound();
  const file = await exportBank(course, format as ExportFormat);
  await audit({ action: "question.export", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { format, questions: file.count } });
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
}
