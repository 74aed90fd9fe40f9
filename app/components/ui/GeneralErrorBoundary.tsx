import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { useT } from "~/utils/i18n";

type ErrorTexts = { title: string; message: string };

// What the reader is told for each status; anything else (a thrown exception, a 5xx) is the
// server's fault. The page never shows the error itself: it may hold internal details.
const STATUS_TEXTS: Record<number, ErrorTexts> = {
  404: { title: "errors.notFoundTitle", message: "errors.notFound" },
  403: { title: "errors.forbiddenTitle", message: "errors.forbidden" },
  400: { title: "errors.badRequestTitle", message: "errors.badRequest" },
  422: { title: "errors.badRequestTitle", message: "errors.badRequest" },
};
const SERVER_ERROR: ErrorTexts = { title: "errors.serverTitle", message: "errors.server" };

/**
 * The error page, exported as `ErrorBoundary` by the root and by every page route. Remix shows
 * the nearest route's boundary inside the root's outlet, so the header and navigation stay.
 */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  const t = useT();
  const texts = (isRouteErrorResponse(error) && STATUS_TEXTS[error.status]) || SERVER_ERROR;
  return (
    <div className="card mx-auto mt-8 max-w-xl text-center">
      <h1 className="text-2xl font-bold text-brand-800">{t(texts.title)}</h1>
      <p className="mt-3 text-slate-700">{t(texts.message)}</p>
      <p className="mt-6">
        <Link to="/" className="btn">
          {t("errors.goHome")}
        </Link>
      </p>
    </div>
  );
}
