import { mustSetUpSecondFactor, type SessionUser } from "~/identity/auth.server";
import { authorize } from "~/identity/authorize.server";
import type { Lang } from "~/utils/i18n";
import { isLang, langFromRequest } from "~/utils/i18n";

export type NavItem = "myLearning" | "courses" | "author" | "staff" | "assignments" | "certificates" | "coverage" | "progress" | "outbox" | "admin";

/** The navigation a user sees, derived from the same capabilities that guard each page. */
export function navFor(user: SessionUser | null): NavItem[] {
  // Until a required second factor is set up, only the set-up page opens: offer nothing else.
  if (!user || mustSetUpSecondFactor(user)) return [];
  const items: NavItem[] = ["myLearning", "courses"];
  if (authorize(user, "course.author")) items.push("author");
  if (authorize(user, "staff.view")) items.push("staff");
  if (authorize(user, "staff.manage")) items.push("assignments");
  if (authorize(user, "certificate.manage")) items.push("certificates");
  if (authorize(user, "report.view")) items.push("coverage", "progress");
  if (authorize(user, "staff.view")) items.push("outbox");
  if (authorize(user, "user.manage") || authorize(user, "unit.manage")) items.push("admin");
  return items;
}

export function langFor(request: Request, user: SessionUser | null): Lang {
  const cookie = request.headers.get("Cookie") ?? "";
  if (!cookie.includes("kns_lang=") && user && isLang(user.locale)) return user.locale;
  return langFromRequest(request);
}
