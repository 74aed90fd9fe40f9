import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { certificatePdfResponse } from "~/certificates/certificate-pdf.server";
import { certificateOfUser } from "~/certificates/lookup.server";
import { clientIp, notFound } from "~/platform/request.server";

/** The signed-in learner's own certificate as a PDF; anyone else's code answers 404. */
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  await requireAuthorized(user, "course.learn", null, { ip: clientIp(context) });
  const cert = await certificateOfUser(user.id, params.code ?? "");
  if (!cert) throw notFound();
  return certificatePdfResponse(cert);
}
