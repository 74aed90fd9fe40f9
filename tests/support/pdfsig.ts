// What poppler's pdfsig says about a PDF's signatures, parsed from its printed report.
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

export type PdfSignature = {
  /** The signer certificate's common name. */
  signerName: string;
  /** As pdfsig prints it, in UTC ("Dec 07 2026 07:53:09"). */
  signingTime: string;
  /** pdfsig's "Signature Type": the dictionary's /SubFilter, e.g. ETSI.CAdES.detached. */
  subFilter: string;
  /** The signature is cryptographically valid ("Signature is Valid."): digest and signature check. */
  valid: boolean;
  /** Nothing changed since signing: the digest checks and the signed ranges cover the whole file. */
  unmodified: boolean;
  raw: string;
};

/**
 * Runs `pdfsig -nocert`: the certificate's trust (a demo certificate is self-signed, a real one
 * would need the CA in an NSS database and OCSP over the network) is not part of either answer.
 * A file without signatures gives an empty list; an unreadable file throws.
 */
export async function pdfsig(file: string): Promise<{ signatures: PdfSignature[]; raw: string }> {
  // Fixed locale and time zone: pdfsig prints the signing time in local time.
  const env = { ...process.env, LC_ALL: "C.UTF-8", TZ: "UTC" };
  let raw: string;
  try {
    raw = (await run("pdfsig", ["-nocert", file], { env, encoding: "utf8" })).stdout;
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (failed.code === 2 && /does not contain any signatures/.test(failed.stdout ?? "")) return { signatures: [], raw: failed.stdout ?? "" };
    throw new Error(`pdfsig ${file} failed (${failed.code}): ${(failed.stderr || failed.stdout || "").trim()}`);
  }
  const blocks = raw.split(/^Signature #\d+:\n/m).slice(1);
  const signatures = blocks.map((block) => {
    const lines = block.split("\n").map((l) => l.replace(/^\s*- /, "").trim());
    const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2) ?? "";
    const valid = field("Signature Validation") === "Signature is Valid.";
    return {
      signerName: field("Signer Certificate Common Name"),
      signingTime: field("Signing Time"),
      subFilter: field("Signature Type"),
      valid,
      unmodified: valid && lines.includes("Total document signed"),
      raw: block,
    };
  });
  return { signatures, raw };
}
