import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { staffTranscript } from "~/learning/transcript.server";
import { clientIp, idParam } from "~/platform/request.server";

// One person's transcript (PDF) for HR of their unit.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return staffTranscript(user, idParam(params.id), clientIp(context));
}
