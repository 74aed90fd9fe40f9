import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireUser } from "~/identity/auth.server";
import { authorize, requireAuthorized } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";
import { useT } from "~/utils/i18n";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const capability = authorize(user, "user.manage") ? "user.manage" : "unit.manage";
  await requireAuthorized(user, capability, null, { ip: clientIp(context) });
  return null;
}

export default function AdminHome() {
  const t = useT();
  return (
    <div className="space-y-4">
      <h1 className="text-2xl font-bold text-brand-800">{t("admin.title")}</h1>
      <p className="text-slate-700">{t("admin.intro")}</p>
      <ul className="grid gap-4 sm:grid-cols-2">
        <li className="card">
          <Link to="/admin/users" className="text-lg font-semibold">
            {t("admin.users")}
          </Link>
        </li>
        <li className="card">
          <Link to="/admin/units" className="text-lg font-semibold">
            {t("admin.units")}
          </Link>
        </li>
      </ul>
    </div>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from "~/components/ui/GeneralErrorBoundary";
