import type { SerializeFrom } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { Badge, ConfirmDelete } from "~/components/author/ui";
import { Notice } from "~/components/ui/Notice";
import { useFormat, useT } from "~/utils/i18n";
import "~/locales/versions";
import type { loader } from "./route";

type History = SerializeFrom<typeof loader>["history"];

function useBusy() {
  const navigation = useNavigation();
  return navigation.state === "submitting";
}

/** What learners get now, and the way to withdraw the course or bring it back. */
export function StatusPanel({ history }: { history: History }) {
  const t = useT();
  const fmt = useFormat();
  const busy = useBusy();
  return (
    <section aria-labelledby="status-heading" className="card">
      <h2 id="status-heading" className="text-lg font-semibold">
        {t("versions.status.heading")}
      </h2>
      {history.published === null ? (
        <p className="mt-2">{t("versions.status.never")}</p>
      ) : history.unpublishedAt ? (
        <>
          <Notice tone="warning" className="mt-2" announce={false}>
            {t("versions.status.withdrawn", { date: fmt.dateTime(history.unpublishedAt) })}
          </Notice>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="republish" />
            <button type="submit" className="btn" disabled={busy}>
              {t("versions.status.republish")}
            </button>
          </Form>
        </>
      ) : (
        <>
          <p className="mt-2">{t("versions.status.published", { number: history.published })}</p>
          <Form method="post" className="mt-3">
            <input type="hidden" name="intent" value="unpublish" />
            <ConfirmDelete label={t("versions.status.unpublish")} confirmLabel={t("versions.status.unpublish")} question={t("versions.status.unpublishHelp")} />
          </Form>
        </>
      )}
    </section>
  );
}

/** Open and past review requests with their comments; the open one can be decided here. */
export function ReviewPanel({ requests, required }: { requests: History["requests"]; required: boolean }) {
  const t = useT();
  const fmt = useFormat();
  const busy = useBusy();
  const open = requests.find((r) => r.status === "pending" || r.status === "approving");
  return (
    <section aria-labelledby="review-heading" className="card">
      <h2 id="review-heading" className="text-lg font-semibold">
        {t("versions.review.heading")}
      </h2>
      {required ? <p className="mt-1 text-sm text-slate-700">{t("versions.review.help")}</p> : null}
      {open ? (
        <div className="mt-3 rounded border border-amber-300 bg-amber-50 p-3" data-testid="open-request">
          <p className="font-semibold">
            {open.mine
              ? t("versions.review.openMine", { date: fmt.dateTime(open.requestedAt) })
              : t("versions.review.open", { name: open.requestedBy ?? "—", date: fmt.dateTime(open.requestedAt) })}
          </p>
          {open.note ? <p className="mt-1 break-words whitespace-pre-wrap">{open.note}</p> : null}
          {open.stale ? <p className="mt-1 font-semibold text-amber-900">{t("versions.review.stale")}</p> : null}
          <p className="mt-2 text-sm">
            <Link to="?to=draft#comparison">{t("versions.history.compareDraft")}</Link>
          </p>
          {open.status !== "pending" ? null : open.mine ? (
            <Form method="post" className="mt-3">
              <input type="hidden" name="intent" value="withdraw" />
              <input type="hidden" name="requestId" value={open.id} />
              <p className="text-sm">{t("versions.review.ownNote")}</p>
              <button type="submit" className="btn-secondary mt-2" disabled={busy}>
                {t("versions.review.withdraw")}
              </button>
            </Form>
          ) : (
            <Form method="post" className="mt-3 space-y-2">
              <input type="hidden" name="requestId" value={open.id} />
              <label htmlFor="review-comment" className="label">
                {t("versions.review.comment")}
              </label>
              <textarea id="review-comment" name="comment" rows={3} maxLength={2000} className="input" aria-describedby="review-comment-help" />
              <p id="review-comment-help" className="text-sm text-slate-700">
                {t("versions.review.commentHelp")}
              </p>
              <div className="flex flex-wrap gap-2">
                {open.stale ? null : (
                  <button type="submit" name="intent" value="approve" className="btn" disabled={busy}>
                    {t("versions.review.approve")}
                  </button>
                )}
                <button type="submit" name="intent" value="reject" className="btn-secondary" disabled={busy}>
                  {t("versions.review.reject")}
                </button>
              </div>
            </Form>
          )}
        </div>
      ) : null}
      <h3 className="mt-4 font-semibold">{t("versions.review.requests")}</h3>
      {requests.length === 0 ? (
        <p className="mt-1 text-sm">{t("versions.review.none")}</p>
      ) : (
        <ul className="mt-2 space-y-2">
          {requests.map((r) => (
            <li key={r.id} className="rounded border border-slate-200 p-2 text-sm">
              <p className="flex flex-wrap items-center gap-2">
                <Badge tone={r.status === "approved" ? "published" : r.status === "pending" ? "warning" : "draft"}>{t(`versions.review.states.${r.status}`, { number: r.versionNumber ?? "" })}</Badge>
                <span>
                  {t("versions.review.requestedBy")}: {r.requestedBy ?? "—"}, {fmt.dateTime(r.requestedAt)}
                </span>
                {r.decidedBy && r.decidedAt ? (
                  <span>
                    {t("versions.review.decidedBy")}: {r.decidedBy}, {fmt.dateTime(r.decidedAt)}
                  </span>
                ) : null}
              </p>
              {r.note ? <p className="mt-1 break-words whitespace-pre-wrap">{r.note}</p> : null}
              {r.comment ? (
                <p className="mt-1 break-words whitespace-pre-wrap">
                  <span className="font-semibold">{t("versions.review.comment")}: </span>
                  {r.comment}
                </p>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Every published version, newest first, with comparisons and rollback. */
export function HistoryTable({ history, review }: { history: History; courseSlug: string; review: boolean }) {
  const t = useT();
  const fmt = useFormat();
  const busy = useBusy();
  return (
    <section aria-labelledby="history-heading" className="card">
      <h2 id="history-heading" className="text-lg font-semibold">
        {t("versions.history.heading")}
      </h2>
      <p className="mt-1 text-sm text-slate-700">{t(review ? "versions.history.rollbackReviewHelp" : "versions.history.rollbackHelp")}</p>
      {/* A list rather than a table: on a phone each version keeps its actions in view. */}
      <ol className="mt-3 divide-y divide-slate-200" aria-labelledby="history-heading">
        {history.versions.map((v) => (
          <li key={v.number} className="flex flex-wrap items-start justify-between gap-3 py-3" data-testid={`version-${v.number}`}>
            <div className="min-w-0">
              <h3 className="font-semibold">
                {t("versions.versionLabel", { number: v.number })}
                {history.published === v.number ? ` (${t("versions.current")})` : ""}
              </h3>
              <p className="text-sm text-slate-700">
                {fmt.dateTime(v.publishedAt)} · {v.publishedBy ?? t("versions.history.bySync")}
              </p>
              {v.restores ? <p className="text-sm text-slate-700">{t("versions.history.restores", { number: v.restores })}</p> : null}
            </div>
            <div className="flex flex-wrap items-center gap-x-3 gap-y-2">
              <Link to={`?from=${v.number}&to=draft#comparison`} className="text-sm">
                {t("versions.history.compareDraft")}
              </Link>
              {v.number > 1 ? (
                <Link to={`?from=${v.number - 1}&to=${v.number}#comparison`} className="text-sm">
                  {t("versions.history.comparePrevious")}
                </Link>
              ) : null}
              {history.published !== null && history.published !== v.number ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="rollback" />
                  <input type="hidden" name="number" value={v.number} />
                  <input type="hidden" name="expected" value={history.published} />
                  <button type="submit" className="btn-secondary" disabled={busy}>
                    {t("versions.history.rollback", { number: v.number })}
                  </button>
                </Form>
              ) : null}
            </div>
          </li>
        ))}
      </ol>
    </section>
  );
}
