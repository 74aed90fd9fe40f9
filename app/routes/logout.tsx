import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { logout } from "~/identity/auth.server";

export async function action({ request }: ActionFunctionArgs) {
  return redirect("/login", { headers: { "Set-Cookie": await logout(request) } });
}

export async function loader() {
  return redirect("/");
}
