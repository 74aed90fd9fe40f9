import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/identity/auth.server";
import { myTranscript } from "~/learning/transcript.server";

// The learner's transcript (PDF): every course, its dates, hours, score and certificate.
export async function loader({ request }: LoaderFunctionArgs) {
  return myTranscript(await requireUser(request));
}
