import type { SerializeFrom } from "@remix-run/node";
import { Link, useSearchParams } from "@remix-run/react";
import { useFormat, useT } from "~/utils/i18n";
import type { loader } from "./route";

type Enrolled = Extract<SerializeFrom<typeof loader>, { enrolled: true }>;

/** The learner's submitted attempts, each a link to its review; the one shown is marked current. */
export function AttemptHistory({ history }: { history: Enrolled["history"] }) {
  const [params] = useSearchParams();
  const t = useT();
  const fmt = useFormat();
  return (
    <section aria-labelledby="history-heading">
      <h2 id="history-heading" className="text-lg font-semibold">
        {t("quiz.history")}
      </h2>
      <ul className="mt-2 space-y-1">
        {history.map((h) => (
          <li key={h.id}>
            <Link to={`?attempt=${h.id}`} aria-current={params.get("attempt") === String(h.id) ? "page" : undefined}>
              {t("quiz.attemptRow", { n: h.number, score: h.score ?? 0 })}
            </Link>
            {h.submittedAt ? <span className="text-sm text-slate-600"> · {fmt.dateTime(h.submittedAt)}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
