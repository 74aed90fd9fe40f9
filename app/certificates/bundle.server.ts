// The ZIP download for HR: the PDFs of a unit's certificates over a period, with their list
// (danh-sach.csv) for a spreadsheet.
import { strToU8 } from "fflate";
import { zipStream } from "~/platform/zip-stream.server";
import { groupCode, ZIP_LIMIT } from "~/utils/certificates";
import type { UnitFilter } from "~/utils/org-units";
import { formatDate } from "~/utils/vietnam-time";
import { asciiName } from "~/utils/text";
import { certificatesIssuedInSubtree, unitInScope, type CertificateRecord } from "~/certificates/certificates.data.server";
import { NO_EXPIRY, renderCertificatePdf } from "~/certificates/certificate-pdf.server";
import { statusOf, type CertificateStatus } from "~/certificates/lookup.server";

// The list belongs to the documents: in Vietnamese whatever the interface language, like the PDF.
const STATUS_LABEL: Record<CertificateStatus, string> = { valid: "Còn hiệu lực", expired: "Hết hạn", revoked: "Đã thu hồi", replaced: "Đã thay thế" };

/**
 * All certificates issued in [from, to) to people of a unit's subtree, whatever their status
 * (the list in the ZIP states it), for the ZIP download. Null when the unit is outside `scope`.
 */
export async function certificatesForZip(scope: UnitFilter, unitCode: string, from: Date, to: Date) {
  const unit = await unitInScope(scope, unitCode);
  if (!unit) return null;
  const rows = await certificatesIssuedInSubtree(unit.path, from, to, ZIP_LIMIT + 1);
  return { unit, certificates: rows.slice(0, ZIP_LIMIT), tooMany: rows.length > ZIP_LIMIT };
}


// A spreadsheet would run a cell that starts with these as a formula.
function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${safe.replace(/"/g, '""')}"`;
}

/**
 * A ZIP of the certificates' PDFs plus a list (danh-sach.csv), produced one PDF at a time as
 * the client reads (see zipStream).
 */
export function zipCertificates(certificates: CertificateRecord[]): ReadableStream<Uint8Array> {
  let index = 0;
  let listed = false;
  const header = ["Mã chứng nhận", "Họ và tên", "Chức vụ", "Đơn vị", "Khóa học", "Ngày hoàn thành", "Giá trị đến", "Trạng thái", "Ngày thu hồi", "Tệp"];
  const now = new Date();
  const lines = [header.map(csvCell).join(",")];
  return zipStream(async () => {
    if (index < certificates.length) {
      const cert = certificates[index++];
      const name = `${asciiName(cert.fullName, "chung-nhan")}_${groupCode(cert.code)}.pdf`;
      lines.push(
        [
          groupCode(cert.code),
          cert.fullName,
          cert.position,
          cert.unitName,
          cert.courseTitle,
          formatDate(cert.completedAt),
          cert.expiresAt ? formatDate(cert.expiresAt) : NO_EXPIRY,
          STATUS_LABEL[statusOf(cert, now)],
          cert.revokedAt ? formatDate(cert.revokedAt) : "",
          name,
        ]
          .map(csvCell)
          .join(","),
      );
      return { name, bytes: await renderCertificatePdf(cert) };
    }
    if (listed) return null;
    listed = true;
    // The list opens correctly in Excel thanks to the byte-order mark.
    return { name: "danh-sach.csv", bytes: strToU8(`\ufeff${lines.join("\r\n")}\r\n`) };
  });
}
