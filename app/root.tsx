import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  Form,
  Link,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLocation,
  useMatches,
  useRouteLoaderData,
} from "@remix-run/react";
import { getUser } from "~/identity/auth.server";
import { langFor, navFor, type NavItem } from "~/identity/navigation.server";
import { DEFAULT_LANG, getT, LangContext, useT, type Lang } from "~/utils/i18n";
import { useNonce } from "~/utils/nonce";
import { pageHasScripts } from "~/utils/route-handle";
import { useEffect, useRef } from "react";
import stylesheet from "~/tailwind.css?url";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Kỹ Năng Số" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const lang = langFor(request, user);
  return {
    lang,
    user: user ? { fullName: user.fullName } : null,
    nav: navFor(user),
  };
}

const NAV_PATHS: Record<NavItem, string> = {
  myLearning: "/me",
  courses: "/courses",
  author: "/author",
  staff: "/hr/staff",
  assignments: "/hr/assignments",
  certificates: "/hr/certificates",
  coverage: "/hr/coverage",
  progress: "/hr/progress",
  outbox: "/hr/outbox",
  admin: "/admin",
};

function Header({ user, nav, lang }: { user: { fullName: string } | null; nav: NavItem[]; lang: Lang }) {
  const t = useT();
  const location = useLocation();
  const here = location.pathname + location.search;
  return (
    <header className="border-b-4 border-flag bg-brand-800 text-white">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-2">
        <Link to="/" className="flex items-center gap-2 text-lg font-bold text-white no-underline hover:no-underline">
          <span aria-hidden="true" className="grid h-8 w-8 place-items-center rounded bg-flag text-sm">★</span>
          {t("app.name")}
        </Link>
        <div className="ml-auto flex flex-wrap items-center gap-3 text-sm">
          <Form method="post" action="/language" className="inline">
            <input type="hidden" name="lang" value={lang === "vi" ? "en" : "vi"} />
            <input type="hidden" name="redirectTo" value={here} />
            <button type="submit" className="rounded border border-white/40 px-2 py-1 text-white hover:bg-brand-700" lang={lang === "vi" ? "en" : "vi"}>
              {t("nav.switchTo")}
            </button>
          </Form>
          {user ? (
            <>
              <Link to="/me" className="inline-flex min-h-8 items-center rounded px-2 text-white">
                {user.fullName}
              </Link>
              <Form method="post" action="/logout" className="ml-2 inline">
                <button type="submit" className="min-h-8 rounded bg-white px-3 py-1 font-semibold text-brand-800 hover:bg-brand-50">
                  {t("nav.logout")}
                </button>
              </Form>
            </>
          ) : (
            <Link to="/login" className="rounded bg-white px-3 py-1 font-semibold text-brand-800 no-underline">
              {t("nav.login")}
            </Link>
          )}
        </div>
      </div>
      {nav.length > 0 ? (
        // A row of its own under the brand and the account controls: one line on a desktop even
        // for administrators, and one line that scrolls sideways on a phone.
        <div className="mx-auto max-w-6xl px-4 pb-2">
          <nav aria-label={t("app.mainNav")} className="-mx-1 flex max-w-full gap-1 overflow-x-auto px-1 pb-1 lg:pb-0">
            {nav.map((item) => (
              <NavLink
                key={item}
                to={NAV_PATHS[item]}
                className={({ isActive }) =>
                  `shrink-0 whitespace-nowrap rounded px-3 py-1.5 text-sm font-medium text-white no-underline hover:bg-brand-700 hover:no-underline ${isActive ? "bg-brand-700" : ""}`
                }
              >
                {t(`nav.${item}`)}
              </NavLink>
            ))}
          </nav>
        </div>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const data = useRouteLoaderData<typeof loader>("root");
  const lang = data?.lang ?? DEFAULT_LANG;
  const t = getT(lang);
  const nonce = useNonce();
  const scripted = pageHasScripts(useMatches());
  return (
    <html lang={lang}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="description" content={t("app.tagline")} />
        <Meta />
        <Links />
      </head>
      <body className="flex min-h-screen flex-col">
        <LangContext.Provider value={lang}>
          <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:p-2">
            {t("app.skipToContent")}
          </a>
          <Header user={data?.user ?? null} nav={data?.nav ?? []} lang={lang} />
          <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
            {children}
          </main>
          <footer className="border-t border-slate-200 bg-white py-4 text-center text-xs text-slate-600">{t("app.footer")}</footer>
        </LangContext.Provider>
        {scripted ? (
          <>
            <ScrollRestoration nonce={nonce} />
            <Scripts nonce={nonce} />
          </>
        ) : null}
      </body>
    </html>
  );
}

/**
 * After each navigation, focus moves to the new page's heading, as a screen reader or a keyboard
 * user expects: otherwise it stays on the button pressed at the bottom of the old page, and a
 * second key press acts on the new page unread. The first page load keeps the browser's focus.
 */
function FocusHeadingOnNavigate() {
  const location = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    if (location.hash) return;
    const heading = document.querySelector<HTMLElement>("main h1");
    if (!heading) return;
    if (!heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    heading.focus({ preventScroll: true });
  }, [location.key, location.hash]);
  return null;
}

export default function App() {
  return (
    <>
      <FocusHeadingOnNavigate />
      <Outlet />
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
