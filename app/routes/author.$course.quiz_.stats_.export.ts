import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireEditableCourse } from "~/content/authoring-access.server";
import { tableDownload } from "~/hr/spreadsheet.server";
import { scopePaths } from "~/identity/authorize.server";
import { questionTable, quizStats } from "~/learning/question-stats.server";
import { getT, langFromRequest } from "~/utils/i18n";
import "~/locales/question-stats";

// The question table of /author/<course>/quiz/stats as CSV (or XLSX): the same version and
// attempts as the page; text that would run as a formula is neutralised by tableDownload.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const { user, course } = await requireEditableCourse(request, context, params.course);
  const url = new URL(request.url);
  const lang = langFromRequest(request);
  const set = url.searchParams.get("attempts") === "first" ? "first" : "all";
  const stats = await quizStats({ courseId: course.id, paths: scopePaths(user, "course.author"), lang }, url.searchParams.get("version"), set);
  const { headers, rows } = questionTable(stats, getT(lang));
  const format = url.searchParams.get("format") === "xlsx" ? "xlsx" : "csv";
  return tableDownload(format, `thong-ke-cau-hoi-${course.slug}-v${stats.version?.number ?? 0}`, course.slug, headers, rows);
}
