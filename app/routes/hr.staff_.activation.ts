import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { renderActivationLetters } from "~/identity/activation-letters-pdf.server";
import { prepareActivationLetters, sendActivationMail } from "~/identity/activation.server";
import { requireRecentAuth, requireUser } from "~/identity/auth.server";
import { hrUnit } from "~/hr/hr-scope.server";
import { env, publicOrigin } from "~/platform/env.server";
import { badRequest, clientIp, field, positiveId } from "~/platform/request.server";
import { asciiName } from "~/utils/text";

/**
 * Activation for the people of a unit (or a selection of them) who never signed in: mail with a
 * link (queued), or letters with a code (a PDF to print). Both replace earlier secrets.
 */
export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const ip = clientIp(context);
  const form = await request.formData();
  const unit = await hrUnit(user, "staff.manage", field(form, "unit", 32) || null, ip);
  await requireRecentAuth(request, user);
  const ids = form.getAll("userId").map(positiveId);
  // A selection comes from one page of the roster (50 people); 500 is far above it and within one query.
  if (ids.some((id) => id === null) || ids.length > 500) return badRequest();
  const target = { unit, userIds: ids.length ? (ids as number[]) : null };
  const back = new URLSearchParams({ unit: unit.code });
  if (field(form, "intent", 10) === "letters") {
    const letters = await prepareActivationLetters(user, target, ip);
    if (!letters) throw new Response("Not Found", { status: 404 });
    const pdf = await renderActivationLetters(letters, { origin: publicOrigin(), issuer: env.ISSUING_AUTHORITY, unitName: unit.nameVi });
    return new Response(new Uint8Array(pdf), {
      headers: {
        "Content-Type": "application/pdf",
        "Content-Disposition": `attachment; filename="thu-kich-hoat-${asciiName(unit.code)}.pdf"`,
        "Cache-Control": "no-store",
      },
    });
  }
  const sent = await sendActivationMail(user, target, ip);
  back.set("activation", sent.ok ? (sent.sent ? "queued" : "nobody") : sent.error);
  if (sent.ok) back.set("count", String(sent.sent));
  return redirect(`/hr/staff?${back}`);
}
