import type { SerializeFrom } from "@remix-run/node";
import { Form } from "@remix-run/react";
import { useT } from "~/utils/i18n";
import "~/locales/author";
import "~/locales/versions";
import type { loader } from "./route";

type Comparison = NonNullable<SerializeFrom<typeof loader>["compare"]["comparison"]>;
type Side = "draft" | number;
type TextDiff = NonNullable<Comparison["intro"]>;
type DiffLine = TextDiff["lines"][number];

function useSideLabel() {
  const t = useT();
  return (side: Side) => (side === "draft" ? t("versions.draft") : t("versions.versionLabel", { number: side }));
}

/** Picks the two states to compare; a plain GET form, so a comparison has its own address. */
export function CompareForm({ versions, from, to }: { versions: number[]; from: Side | null; to: Side | null }) {
  const t = useT();
  const label = useSideLabel();
  const options: Side[] = ["draft", ...versions];
  return (
    <Form method="get" className="mt-3 flex flex-wrap items-end gap-3">
      {(["from", "to"] as const).map((name) => (
        <div key={name} className="min-w-40">
          <label htmlFor={`compare-${name}`} className="label">
            {t(`versions.compare.${name}`)}
          </label>
          <select id={`compare-${name}`} name={name} defaultValue={String((name === "from" ? from : to) ?? "")} className="input">
            {options.map((o) => (
              <option key={o} value={String(o)}>
                {label(o)}
              </option>
            ))}
          </select>
        </div>
      ))}
      <button type="submit" className="btn">
        {t("versions.compare.submit")}
      </button>
    </Form>
  );
}

const show = (value: string | number | boolean, t: ReturnType<typeof useT>) =>
  value === true ? t("versions.compare.yes") : value === false ? t("versions.compare.no") : value === "" ? t("versions.compare.empty") : String(value);

/** Lines added and removed, each marked with + or − and named for screen readers, not only coloured. */
export function LineDiff({ diff }: { diff: TextDiff }) {
  const t = useT();
  return (
    <div className="mt-2">
      {diff.byText ? <p className="mb-1 text-sm text-slate-700">{t("versions.compare.byText")}</p> : null}
      <ol className="overflow-x-auto rounded border border-slate-300 font-mono text-sm" aria-label={t("versions.compare.heading")}>
        {diff.lines.map((line, i) => (
          <DiffRow key={i} line={line} />
        ))}
      </ol>
    </div>
  );
}

function DiffRow({ line }: { line: DiffLine }) {
  const t = useT();
  if (line.kind === "skipped") return <li className="bg-slate-100 px-2 py-0.5 text-slate-700 italic">{t("versions.compare.skipped", { count: line.count })}</li>;
  const look = { same: "text-slate-800", added: "bg-green-50 text-green-900", removed: "bg-red-50 text-red-900" }[line.kind];
  const mark = { same: " ", added: "+", removed: "−" }[line.kind];
  return (
    <li className={`flex gap-2 px-2 py-0.5 ${look}`} data-diff={line.kind}>
      <span aria-hidden="true" className="w-3 shrink-0 font-bold select-none">
        {mark}
      </span>
      {line.kind !== "same" ? <span className="sr-only">{t(line.kind === "added" ? "versions.compare.addedLine" : "versions.compare.removedLine")}: </span> : null}
      <span className="min-w-0 break-words whitespace-pre-wrap">{line.text || " "}</span>
    </li>
  );
}

function BeforeAfter({ rows }: { rows: { label: string; before: string | number | boolean; after: string | number | boolean }[] }) {
  const t = useT();
  return (
    <div className="mt-2 overflow-x-auto">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t("versions.compare.settings")}</th>
            <th scope="col">{t("versions.compare.before")}</th>
            <th scope="col">{t("versions.compare.after")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label}>
              <th scope="row" className="font-semibold">
                {r.label}
              </th>
              <td>
                <span className="sr-only">{t("versions.compare.before")}: </span>
                <del className="break-words">{show(r.before, t)}</del>
              </td>
              <td>
                <span className="sr-only">{t("versions.compare.after")}: </span>
                <ins className="break-words no-underline">{show(r.after, t)}</ins>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function ComparisonView({ comparison, from, to }: { comparison: Comparison; from: Side; to: Side }) {
  const t = useT();
  const label = useSideLabel();
  const c = comparison;
  const settingValue = (field: string, v: string | number | boolean) => (field === "category" ? t(`categories.${v}`, { defaultValue: String(v) }) : field === "reviewPolicy" ? t(`author.settings.reviewPolicies.${v}`, { defaultValue: String(v) }) : v);
  return (
    <div className="mt-4 space-y-5" id="comparison">
      <h3 className="text-base font-semibold">{t("versions.compare.title", { from: label(from), to: label(to) })}</h3>
      {c.unchanged ? <p className="font-semibold text-green-800">{t("versions.compare.none")}</p> : null}
      {c.settings.length ? (
        <section aria-labelledby="cmp-settings">
          <h4 id="cmp-settings" className="font-semibold">
            {t("versions.compare.settings")}
          </h4>
          <BeforeAfter rows={c.settings.map((s) => ({ label: t(`author.fields.${s.field}`), before: settingValue(s.field, s.before), after: settingValue(s.field, s.after) }))} />
        </section>
      ) : null}
      {c.intro ? (
        <section aria-labelledby="cmp-intro">
          <h4 id="cmp-intro" className="font-semibold">
            {t("versions.compare.intro")}
          </h4>
          <LineDiff diff={c.intro} />
        </section>
      ) : null}
      {c.lessons.length ? (
        <section aria-labelledby="cmp-lessons">
          <h4 id="cmp-lessons" className="font-semibold">
            {t("versions.compare.lessons")}
          </h4>
          <ul className="mt-2 space-y-4">
            {c.lessons.map((l) => (
              <li key={`${l.change}-${l.id}`} className="rounded border border-slate-200 p-3">
                <h5 className="font-semibold break-words">
                  <span aria-hidden="true">{l.change === "added" ? "+ " : l.change === "removed" ? "− " : l.change === "moved" ? "↕ " : "± "}</span>
                  {l.change === "moved" ? t("versions.compare.lesson.moved", { title: l.title, from: l.from, to: l.to }) : t(`versions.compare.lesson.${l.change}`, { title: l.title })}
                </h5>
                {l.change === "changed" ? (
                  <>
                    {l.moved ? <p className="mt-1 text-sm">{t("versions.compare.lesson.alsoMoved")}</p> : null}
                    {l.fields.length ? <BeforeAfter rows={l.fields.map((f) => ({ label: t(`versions.compare.lessonFields.${f.field}`), before: f.before, after: f.after }))} /> : null}
                    {l.body ? <LineDiff diff={l.body} /> : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {c.questions.length ? (
        <section aria-labelledby="cmp-questions">
          <h4 id="cmp-questions" className="font-semibold">
            {t("versions.compare.questions")}
          </h4>
          <ul className="mt-2 space-y-4">
            {c.questions.map((q) => (
              <li key={`${q.change}-${q.key}`} className="rounded border border-slate-200 p-3">
                <h5 className="font-semibold break-words">
                  <span aria-hidden="true">{q.change === "added" ? "+ " : q.change === "removed" ? "− " : "± "}</span>
                  {t(`versions.compare.question.${q.change}`, { key: q.key, prompt: q.prompt })}
                </h5>
                {q.change === "changed" ? (
                  <>
                    {q.type || q.promptBefore !== null || q.explanation || q.image ? (
                      <BeforeAfter
                        rows={[
                          ...(q.type ? [{ label: t("versions.compare.question.type"), before: t(`versions.compare.types.${q.type.before}`), after: t(`versions.compare.types.${q.type.after}`) }] : []),
                          ...(q.promptBefore !== null ? [{ label: t("versions.compare.question.prompt"), before: q.promptBefore, after: q.prompt }] : []),
                          ...(q.explanation ? [{ label: t("versions.compare.question.explanation"), before: q.explanation.before, after: q.explanation.after }] : []),
                          ...(q.image ? [{ label: t("versions.compare.question.image"), before: q.image.before || "—", after: q.image.after || "—" }] : []),
                        ]}
                      />
                    ) : null}
                    {q.choices ? (
                      <div className="mt-2">
                        <p className="text-sm font-semibold">{t("versions.compare.question.choices")}</p>
                        <LineDiff
                          diff={{
                            byText: false,
                            lines: q.choices.map((ch) => ({ kind: ch.kind, text: `${ch.correct ? "✓" : "·"} ${ch.text}${ch.correct ? ` (${t("versions.compare.question.correct")})` : ""}` })),
                          }}
                        />
                      </div>
                    ) : null}
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
