// Presentation pieces shared by the trainer area's pages. No data access.
import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Notice } from "~/components/ui/Notice";
import { translate, useT, type Message } from "~/utils/i18n";
import "~/locales/author";

export type ProblemView = { line: number; column: number } & Message;

/**
 * Each problem as "Dòng L, cột C: message", so the trainer can find it in the editor; with
 * `onJump`, the place is a button that moves the caret there.
 */
export function ProblemList({ id, problems, onJump }: { id?: string; problems: ProblemView[]; onJump?: (line: number, column: number) => void }) {
  const t = useT();
  if (!problems.length) return null;
  return (
    <Notice tone="error" as="div" announce={false} id={id}>
      <p className="font-semibold">{t("author.lesson.problemsTitle", { count: problems.length })}</p>
      <ul className="mt-2 list-disc space-y-1 pl-5">
        {problems.map((p, i) => (
          <li key={i}>
            {onJump ? (
              <button type="button" className="text-left underline decoration-dotted underline-offset-2 hover:decoration-solid" onClick={() => onJump(p.line, p.column)}>
                {t("author.lesson.problemAt", { line: p.line, column: p.column, message: translate(t, p) })}
              </button>
            ) : (
              t("author.lesson.problemAt", { line: p.line, column: p.column, message: translate(t, p) })
            )}
          </li>
        ))}
      </ul>
    </Notice>
  );
}

export function Breadcrumbs({ items }: { items: { to?: string; label: string }[] }) {
  const t = useT();
  return (
    <nav aria-label={t("author.breadcrumbs")} className="text-sm">
      <ol className="flex flex-wrap items-center gap-1">
        {items.map((item, i) => (
          <li key={i} className="flex items-center gap-1">
            {i > 0 ? <span aria-hidden="true" className="text-slate-500">/</span> : null}
            {item.to ? <Link to={item.to}>{item.label}</Link> : <span aria-current="page">{item.label}</span>}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Badge({ tone, children }: { tone: "draft" | "published" | "warning"; children: ReactNode }) {
  const styles = {
    draft: "border-slate-300 bg-slate-100 text-slate-800",
    published: "border-green-300 bg-green-50 text-green-900",
    warning: "border-amber-300 bg-amber-50 text-amber-900",
  };
  return <span className={`inline-block rounded border px-2 py-0.5 text-xs font-semibold ${styles[tone]}`}>{children}</span>;
}

/**
 * A destructive action behind a disclosure, placed inside its form: the first click only
 * reveals the real button. Works without JavaScript.
 */
export function ConfirmDelete({ label, confirmLabel, question }: { label: string; confirmLabel: string; question: string }) {
  return (
    <details className="group">
      <summary className="btn-secondary cursor-pointer list-none text-red-800 [&::-webkit-details-marker]:hidden">{label}</summary>
      <div className="mt-2 rounded border border-red-200 bg-red-50 p-3 text-sm">
        <p>{question}</p>
        <button type="submit" className="btn-danger mt-2">
          {confirmLabel}
        </button>
      </div>
    </details>
  );
}
