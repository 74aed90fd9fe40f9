// Transcripts: the learner's own, one person's for HR in scope, and a unit's as one ZIP. Every
// download by someone other than the person is audited.
import type { SessionUser } from "~/identity/auth.server";
import { requireAuthorized } from "~/identity/authorize.server";
import { renderTranscriptPdf } from "~/learning/transcript-pdf.server";
import { peopleUnder, transcriptEntries, transcriptPerson } from "~/learning/transcript.data.server";
import { audit } from "~/platform/audit.server";
import { notFound } from "~/platform/request.server";
import { zipStream } from "~/platform/zip-stream.server";
import { asciiName } from "~/utils/text";

/** People in one ZIP of transcripts: a large commune or department; a province asks unit by unit. */
export const TRANSCRIPT_ZIP_LIMIT = 2_000;

const pdfResponse = (pdf: Buffer, name: string) =>
  new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });

const fileName = (person: { fullName: string; employeeCode: string | null }) => `ket-qua-boi-duong_${asciiName(person.fullName, "can-bo")}${person.employeeCode ? `_${asciiName(person.employeeCode, "")}` : ""}.pdf`;

async function transcriptOf(userId: number) {
  const person = await transcriptPerson(userId);
  if (!person) throw notFound();
  return { person, pdf: await renderTranscriptPdf(person, await transcriptEntries(userId)) };
}

export async function myTranscript(user: SessionUser): Promise<Response> {
  const { person, pdf } = await transcriptOf(user.id);
  return pdfResponse(pdf, fileName(person));
}

/** One person's transcript for HR of their unit's subtree; 404 (audited) for anyone else. */
export async function staffTranscript(user: SessionUser, userId: number, ip: string): Promise<Response> {
  await requireAuthorized(user, "staff.view", null, { ip });
  const person = await transcriptPerson(userId);
  if (!person) throw notFound();
  await requireAuthorized(user, "staff.view", person.orgUnit, { ip });
  const pdf = await renderTranscriptPdf(person, await transcriptEntries(userId));
  await audit({ action: "transcript.download", actorId: user.id, orgUnitId: person.orgUnit.id, targetType: "user", targetId: person.id, ip });
  return pdfResponse(pdf, fileName(person));
}

/**
 * The transcripts of a unit's active people, one PDF each, streamed as one ZIP. Null when the
 * unit has more people than one ZIP takes.
 */
export async function unitTranscripts(user: SessionUser, unit: { id: number; path: string; code: string }, ip: string): Promise<Response | null> {
  await requireAuthorized(user, "staff.view", unit, { ip });
  const people = await peopleUnder(unit.path, TRANSCRIPT_ZIP_LIMIT + 1);
  if (people.length > TRANSCRIPT_ZIP_LIMIT) return null;
  await audit({ action: "transcript.zip", actorId: user.id, orgUnitId: unit.id, ip, detail: { unit: unit.code, people: people.length } });
  let index = 0;
  const body = zipStream(async () => {
    const next = people[index++];
    if (!next) return null;
    const { person, pdf } = await transcriptOf(next.id);
    return { name: fileName(person), bytes: pdf };
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="ket-qua-boi-duong_${asciiName(unit.code, "don-vi")}.zip"`,
      "Cache-Control": "private, no-store",
    },
  });
}
