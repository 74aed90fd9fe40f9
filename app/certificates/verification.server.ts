// Public verification: anyone with a code (typed, or scanned from the PDF's QR) learns whether
// the certificate stands. The database row is the answer, never anything read from a PDF.
import { groupCode, normalizeCode } from "~/utils/certificates";
import { verificationRecord } from "~/certificates/certificates.data.server";
import { statusOf, type CertificateStatus } from "~/certificates/lookup.server";

export type Verification =
  | { status: "notfound" }
  | {
      status: CertificateStatus;
      code: string;
      fullName: string;
      courseTitle: string;
      completedAt: Date;
      expiresAt: Date | null;
      issuer: string;
      revokedAt: Date | null;
      erasedAt: Date | null;
    };

/**
 * The public answer for a typed or scanned code: the status and the minimum a verifier needs.
 * Malformed input (including anything over 64 characters) never reaches the database.
 */
export async function verifyCertificate(input: string, now = new Date()): Promise<Verification> {
  const code = normalizeCode(input);
  if (!code) return { status: "notfound" };
  const certificate = await verificationRecord(code);
  if (!certificate) return { status: "notfound" };
  return { ...certificate, status: statusOf(certificate, now), code: groupCode(certificate.code) };
}
