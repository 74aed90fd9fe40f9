import type { SerializeFrom } from "@remix-run/node";
import { useFormat, useT } from "~/utils/i18n";
import "~/locales/author";
import type { loader } from "./route";

type Editor = SerializeFrom<typeof loader>["course"];

/** Every published version, the one learners get marked current. */
export function VersionsTable({ course }: { course: Editor }) {
  const t = useT();
  const fmt = useFormat();
  return (
    <section aria-labelledby="versions-heading" className="card">
      <h2 id="versions-heading" className="text-lg font-semibold">
        {t("author.versions.heading")}
      </h2>
      {course.versions.length === 0 ? (
        <p className="mt-2 text-slate-700">{t("author.versions.empty")}</p>
      ) : (
        <div className="mt-3 overflow-x-auto">
          <table className="table">
            <caption className="sr-only">{t("author.versions.heading")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("author.versions.number")}</th>
                <th scope="col">{t("author.versions.date")}</th>
                <th scope="col">{t("author.versions.by")}</th>
              </tr>
            </thead>
            <tbody>
              {course.versions.map((v) => (
                <tr key={v.id}>
                  <td>
                    {v.number}
                    {course.publishedVersion?.number === v.number ? ` (${t("author.versions.current")})` : ""}
                  </td>
                  <td>{fmt.dateTime(v.publishedAt)}</td>
                  <td>{v.publishedBy ?? t("author.versions.bySync")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
