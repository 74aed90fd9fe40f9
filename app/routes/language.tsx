import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { getUser, safeRedirectTo } from "~/identity/auth.server";
import { rememberLanguage } from "~/identity/users.data.server";
import { field } from "~/platform/request.server";
import { isLang, LANG_COOKIE } from "~/utils/i18n";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = field(form, "lang");
  if (!isLang(lang)) throw new Response("Bad Request", { status: 400 });
  const user = await getUser(request);
  if (user) await rememberLanguage(user.id, lang);
  return redirect(safeRedirectTo(field(form, "redirectTo", 2000), "/"), {
    headers: { "Set-Cookie": `${LANG_COOKIE}=${lang}; Path=/; Max-Age=31536000; SameSite=Lax` },
  });
}

export async function loader() {
  return redirect("/");
}
