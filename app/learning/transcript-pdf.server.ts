// A person's transcript as a PDF: every course enrolment with its dates, declared hours, best
// score and certificate, and the hours completed in total and this year; signed like the
// certificates when the deployment has a signing key. The wording is Vietnamese whatever the
// interface language: it is an administrative document.
import { statusOf } from "~/certificates/lookup.server";
import type { TranscriptEntry, TranscriptPerson } from "~/learning/transcript.data.server";
import { env, publicOrigin } from "~/platform/env.server";
import { newPdfDocument } from "~/platform/pdf.server";
import { groupCode } from "~/utils/certificates";
import { formatDate, VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";

const INK = "#1f2937";
const MUTED = "#4b5563";
const RULE = "#cbd5e1";
const CERTIFICATE_STATE = { valid: "còn hiệu lực", expired: "hết hiệu lực", revoked: "đã thu hồi", replaced: "đã thay thế" } as const;

/** Hours with a decimal comma, as Vietnamese documents write them: 1,5 giờ. */
export const hours = (minutes: number) => (Math.round((minutes / 60) * 10) / 10).toLocaleString("vi-VN");
const yearOf = (d: Date) => new Date(d.getTime() + VIETNAM_OFFSET_MS).getUTCFullYear();

/** Hours of completed (not exempt) courses, in total and in the given year (Vietnamese calendar). */
export function completedMinutes(entries: TranscriptEntry[], year: number) {
  const done = entries.filter((e) => e.completedAt && !e.exempt);
  return {
    total: done.reduce((n, e) => n + e.minutes, 0),
    year: done.filter((e) => yearOf(e.completedAt!) === year).reduce((n, e) => n + e.minutes, 0),
  };
}

export async function renderTranscriptPdf(person: TranscriptPerson, entries: TranscriptEntry[], now = new Date()): Promise<Buffer> {
  const { doc, done } = await newPdfDocument({
    size: "A4",
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    info: { Title: `Kết quả bồi dưỡng — ${person.fullName}`, Author: env.ISSUING_AUTHORITY, Creator: "Kỹ Năng Số", CreationDate: now },
  });
  const left = 50;
  const width = doc.page.width - 100;

  // Issuer and national motto, side by side, as on administrative documents.
  doc.font("bold").fontSize(10).fillColor(INK).text(env.ISSUING_AUTHORITY.toUpperCase(), left, 50, { width: 220, align: "center" });
  doc.font("bold").fontSize(10).text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", left + width - 270, 50, { width: 270, align: "center" });
  doc.font("medium").fontSize(10).text("Độc lập - Tự do - Hạnh phúc", left + width - 270, doc.y + 1, { width: 270, align: "center" });
  doc.font("bold").fontSize(15).text("KẾT QUẢ BỒI DƯỠNG KỸ NĂNG SỐ", left, 110, { width, align: "center" });
  doc.font("italic").fontSize(10).fillColor(MUTED).text(`Trích xuất ngày ${formatDate(now)} từ hệ thống Kỹ Năng Số`, { width, align: "center" });

  let y = doc.y + 14;
  const line = (label: string, value: string) => {
    doc.font("regular").fontSize(10.5).fillColor(MUTED).text(`${label}:`, left, y, { width: 110 });
    doc.font("medium").fillColor(INK).text(value, left + 110, y, { width: width - 110 });
    y = doc.y + 3;
  };
  line("Họ và tên", person.fullName);
  if (person.employeeCode) line("Mã cán bộ", person.employeeCode);
  if (person.birthDate) line("Ngày sinh", formatDate(person.birthDate));
  if (person.position) line("Chức vụ", person.position);
  line("Đơn vị", person.orgUnit.nameVi);

  // The table: column widths add up to the text width.
  const columns = [
    { title: "TT", w: 24, align: "center" as const },
    { title: "Khóa bồi dưỡng", w: 134, align: "left" as const },
    { title: "Ghi danh", w: 60, align: "center" as const },
    { title: "Hoàn thành", w: 62, align: "center" as const },
    { title: "Số giờ", w: 40, align: "center" as const },
    { title: "Điểm", w: 36, align: "center" as const },
    { title: "Giấy chứng nhận", w: width - 356, align: "left" as const },
  ];
  const bottom = doc.page.height - 70;
  const header = () => {
    let x = left;
    doc.rect(left, y, width, 20).fill("#f1f5f9");
    for (const c of columns) {
      doc.font("bold").fontSize(9).fillColor(INK).text(c.title, x + 3, y + 6, { width: c.w - 6, align: c.align });
      x += c.w;
    }
    y += 20;
  };
  y += 10;
  header();
  entries.forEach((e, i) => {
    const cert = e.certificate;
    const creditedBy: string | null = e.creditedBy;
    const cells = [
      String(i + 1),
      e.cycle > 1 ? `${e.course} (lượt ${e.cycle})` : e.course,
      formatDate(e.enrolledAt),
      e.exempt ? "Được miễn" : e.completedAt ? formatDate(e.completedAt) : e.classResult === "failed" ? "Không đạt" : e.classResult === "absent" ? "Vắng" : "Đang học",
      creditedBy ? "—" : hours(e.minutes),
      e.bestScore === null ? "—" : `${e.bestScore}%`,
      cert ? `${groupCode(cert.code)}\n${CERTIFICATE_STATE[statusOf(cert, now)]}` : creditedBy ? `Công nhận qua lớp: ${creditedBy}` : e.kind === "class" ? ["Học trực tiếp", e.provider].filter(Boolean).join(": ") : "—",
    ];
    doc.font("regular").fontSize(9);
    const height = Math.max(...cells.map((text, k) => doc.heightOfString(text, { width: columns[k].w - 6 }))) + 10;
    if (y + height > bottom) {
      doc.addPage();
      y = 50;
      header();
    }
    let x = left;
    cells.forEach((text, k) => {
      const w = columns[k].w - 6;
      if (k === 6 && cert) {
        // The certificate code on one line, shrunk to fit: it is what an inspector types in.
        const display = groupCode(cert.code);
        let size = 8.5;
        doc.font("medium");
        while (size > 6 && doc.fontSize(size).widthOfString(display) > w) size -= 0.5;
        doc.fillColor(INK).text(display, x + 3, y + 5, { width: w, lineBreak: false });
        doc.font("regular").fontSize(8.5).fillColor(MUTED).text(CERTIFICATE_STATE[statusOf(cert, now)], x + 3, y + 5 + size * 1.3, { width: w });
      } else doc.font("regular").fontSize(9).fillColor(INK).text(text, x + 3, y + 5, { width: w, align: columns[k].align });
      x += columns[k].w;
    });
    y += height;
    doc.moveTo(left, y).lineTo(left + width, y).lineWidth(0.5).strokeColor(RULE).stroke();
  });
  if (!entries.length) {
    doc.font("italic").fontSize(10).fillColor(MUTED).text("Chưa tham gia khóa bồi dưỡng nào.", left, y + 8, { width });
    y = doc.y;
  }

  const year = yearOf(now);
  const totals = completedMinutes(entries, year);
  if (y + 80 > bottom) {
    doc.addPage();
    y = 50;
  }
  doc.font("bold").fontSize(10.5).fillColor(INK).text(`Tổng số giờ bồi dưỡng đã hoàn thành: ${hours(totals.total)} giờ; trong năm ${year}: ${hours(totals.year)} giờ.`, left, y + 14, { width });
  doc
    .font("regular")
    .fontSize(9)
    .fillColor(MUTED)
    .text(`Số giờ là thời lượng khóa học công bố. Mỗi giấy chứng nhận được tra cứu tại ${publicOrigin()}/verify/<mã giấy chứng nhận>.`, left, doc.y + 6, { width });
  doc.end();
  const { signPdf } = await import("~/certificates/pdf-signing.server");
  return signPdf(await done, { reason: `Kết quả bồi dưỡng của ${person.fullName}`, location: env.ISSUING_AUTHORITY, name: env.ISSUING_AUTHORITY });
}
