import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized, scopePaths } from "~/identity/authorize.server";
import { clientIp } from "~/platform/request.server";

// The tree starts at the broadest unit the administrator manages.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "unit.manage", null, { ip: clientIp(context) });
  const [top] = scopePaths(user, "unit.manage").sort((a, b) => a.length - b.length);
  const code = top.split("/").filter(Boolean).pop();
  return redirect(`/admin/units/${encodeURIComponent(code ?? "")}`);
}
