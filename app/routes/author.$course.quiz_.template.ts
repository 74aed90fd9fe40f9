import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { questionTemplate } from "~/content/question-bank/question-sheet.server";
import { notFound } from "~/platform/request.server";

/** The question spreadsheet template (XLSX or CSV) with an example of each question type. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  await requireEditableCourse(request, context, params.course);
  const format = new URL(request.url).searchParams.get("format") ?? "xlsx";
  if (format !== "xlsx" && format !== "csv") throw notFound();
  const body = questionTemplate(format);
  return new Response(typeof body === "string" ? body : Buffer.from(body), {
    headers: {
      "Content-Type": format === "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "Content-Disposition": `attachment; filename="mau-cau-hoi.${format}"`,
      "Cache-Control": "no-store",
    },
  });
}
