// HR's corrections of an issued certificate: revoking it, or reissuing it under a new code.
// Both need a reason, kept with who acted.
import { REASON_MAX } from "~/utils/certificates";
import { audit } from "~/platform/audit.server";
import { env } from "~/platform/env.server";
import { replaceCertificate, revokeIfValid } from "~/certificates/certificates.data.server";
import { newCode } from "~/certificates/issue.server";

type Actor = { userId: number | null; ip?: string | null; orgUnitId: number };

export type RevokeResult = "revoked" | "reasonRequired" | "reasonTooLong" | "notValid" | "ownCertificate";

type Held = { id: number; userId: number };

/** Separation of duties: nobody revokes or reissues their own certificate; the refusal is audited. */
async function ownCertificate(cert: Held, actor: Actor, action: string): Promise<boolean> {
  if (actor.userId !== cert.userId) return false;
  await audit({ action, outcome: "denied", actorId: actor.userId, orgUnitId: actor.orgUnitId, targetType: "certificate", targetId: cert.id, ip: actor.ip, detail: { reason: "own_certificate" } });
  return true;
}

/** Revokes a valid certificate; the reason is required and kept with who did it. */
export async function revokeCertificate(cert: Held, reasonInput: string, actor: Actor): Promise<RevokeResult> {
  if (await ownCertificate(cert, actor, "certificate.revoke")) return "ownCertificate";
  const id = cert.id;
  const reason = reasonInput.trim().normalize("NFC");
  if (!reason) return "reasonRequired";
  if (reason.length > REASON_MAX) return "reasonTooLong";
  if (!(await revokeIfValid(id, { revokedById: actor.userId, revokeReason: reason }))) return "notValid";
  await audit({
    action: "certificate.revoke",
    actorId: actor.userId,
    orgUnitId: actor.orgUnitId,
    targetType: "certificate",
    targetId: id,
    ip: actor.ip,
    detail: { reason },
  });
  return "revoked";
}

export type ReissueResult = { ok: true; id: number; code: string } | { ok: false; error: "reasonRequired" | "reasonTooLong" | "cannotReissue" | "ownCertificate" };

/**
 * Replaces a valid or revoked certificate by a new one with a new code, with the learner's
 * current name, position and unit (the usual reason is a corrected roster) and the same
 * course, completion and expiry. The reason is required and audited with who did it. A valid
 * certificate becomes "replaced"; a revoked one stays revoked (its code keeps verifying as
 * revoked, with its date): a reissue never erases a revocation. Each certificate is reissued
 * at most once; the new one may be reissued in turn.
 */
export async function reissueCertificate(cert: Held, reasonInput: string, actor: Actor): Promise<ReissueResult> {
  if (await ownCertificate(cert, actor, "certificate.reissue")) return { ok: false, error: "ownCertificate" };
  const id = cert.id;
  const reason = reasonInput.trim().normalize("NFC");
  if (!reason) return { ok: false, error: "reasonRequired" };
  if (reason.length > REASON_MAX) return { ok: false, error: "reasonTooLong" };
  const result = await replaceCertificate(id, newCode(), env.ISSUING_AUTHORITY);
  if (!result) return { ok: false, error: "cannotReissue" };
  await audit({
    action: "certificate.reissue",
    actorId: actor.userId,
    orgUnitId: actor.orgUnitId,
    targetType: "certificate",
    targetId: id,
    ip: actor.ip,
    detail: { reason, newCertificateId: result.id },
  });
  return { ok: true, ...result };
}
