// The certificate as a PDF: an A4 landscape Vietnamese administrative document with a QR code
// that leads to its public verification page.
import { groupCode } from "~/utils/certificates";
import { formatDate } from "~/utils/vietnam-time";
import { publicOrigin } from "~/platform/env.server";
import { loadPdfLibraries, newPdfDocument } from "~/platform/pdf.server";
import type { CertificateRecord } from "~/certificates/certificates.data.server";
import { statusOf } from "~/certificates/lookup.server";

// The certificate is a Vietnamese administrative document: its wording is fixed here, in
// Vietnamese whatever the interface language, not taken from the translation files.
export const NO_EXPIRY = "Không thời hạn";
const COLORS = { red: "#9b1c1c", gold: "#b08a3e", navy: "#1e3a8a", ink: "#1f2937", muted: "#4b5563", paper: "#fffdf7" };

/** The public address of the verification page for a code, as printed and encoded in the QR. */
export function verifyUrl(code: string): string {
  // Only the configured origin, never the request's Host header, which a client chooses.
  return `${publicOrigin()}/verify/${groupCode(code)}`;
}

function vietnameseDateLine(date: Date): string {
  const [d, m, y] = formatDate(date).split("/");
  return `Ngày ${d} tháng ${m} năm ${y}`;
}

/**
 * The certificate as an A4 landscape PDF. A revoked or replaced certificate still renders, for
 * the record, but crossed by a large "ĐÃ THU HỒI" / "ĐÃ THAY THẾ" mark.
 */
export async function renderCertificatePdf(cert: CertificateRecord, { sign = true } = {}): Promise<Buffer> {
  const { QRCode } = await loadPdfLibraries();
  const url = verifyUrl(cert.code);
  const qr = QRCode.create(url, { errorCorrectionLevel: "M" }).modules;
  const display = groupCode(cert.code);
  const { doc, done } = await newPdfDocument({
    size: "A4",
    layout: "landscape",
    margin: 0,
    info: {
      Title: `Giấy chứng nhận ${display}`,
      Author: cert.issuer,
      Subject: `${cert.fullName} — ${cert.courseTitle}`,
      Creator: "Kỹ Năng Số",
      CreationDate: cert.issuedAt,
    },
  });

  const W = doc.page.width;
  const H = doc.page.height;
  const cx = W / 2;

  // Paper, frame and corner ornaments.
  doc.rect(0, 0, W, H).fill(COLORS.paper);
  doc.lineWidth(4).strokeColor(COLORS.red).rect(18, 18, W - 36, H - 36).stroke();
  doc.lineWidth(0.8).strokeColor(COLORS.gold).rect(27, 27, W - 54, H - 54).stroke();
  doc.lineWidth(0.4).strokeColor(COLORS.gold).rect(31, 31, W - 62, H - 62).stroke();
  for (const [x, y] of [[27, 27], [W - 27, 27], [27, H - 27], [W - 27, H - 27]]) {
    doc.save().translate(x, y).rotate(45).rect(-6, -6, 12, 12).fill(COLORS.red).restore();
    doc.save().translate(x, y).rotate(45).rect(-2.5, -2.5, 5, 5).fill(COLORS.gold).restore();
  }

  // A faint five-pointed star behind the text.
  const star = (r: number) =>
    Array.from({ length: 10 }, (_, i) => {
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      const radius = i % 2 === 0 ? r : r * 0.382;
      return [cx + radius * Math.cos(a), H / 2 + 20 + radius * Math.sin(a)] as [number, number];
    });
  doc.save().polygon(...star(190)).fillOpacity(0.045).fill(COLORS.gold).restore();
  doc.save().lineWidth(1).circle(cx, H / 2 + 20, 205).strokeOpacity(0.12).stroke(COLORS.gold).restore();

  const centered = (text: string, y: number, font: string, size: number, color: string, opts: { x?: number; width?: number } = {}) => {
    const width = opts.width ?? W - 160;
    const x = opts.x !== undefined ? opts.x - width / 2 : cx - width / 2;
    doc.font(font).fontSize(size).fillColor(color).text(text, x, y, { width, align: "center", lineGap: 2 });
    return doc.y;
  };
  /** The largest size (down to `min`) at which the text fits on `lines` lines of `width`. */
  const fit = (text: string, font: string, size: number, min: number, width: number, lines = 1) => {
    doc.font(font);
    let s = size;
    while (s > min && doc.fontSize(s).heightOfString(text, { width, lineGap: 2 }) > lines * (doc.currentLineHeight(true) + 2) + 0.5) s -= 1;
    return s;
  };

  // Header: the issuing authority on the left, the national motto on the right.
  const leftX = 215;
  const rightX = W - 245;
  centered(cert.issuer.toUpperCase(), 52, "bold", 11.5, COLORS.ink, { x: leftX, width: 300 });
  const issuerBottom = doc.y;
  doc.lineWidth(0.8).strokeColor(COLORS.ink).moveTo(leftX - 35, issuerBottom + 3).lineTo(leftX + 35, issuerBottom + 3).stroke();
  centered(`Số: ${display}`, issuerBottom + 9, "regular", 9.5, COLORS.muted, { x: leftX, width: 300 });

  // The national motto as Decree 30/2020/NĐ-CP writes it ("HÒA", old-style accent placement).
  centered("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 52, "bold", 11.5, COLORS.ink, { x: rightX, width: 380 });
  const motto = "Độc lập - Tự do - Hạnh phúc";
  centered(motto, doc.y, "bold", 12.5, COLORS.ink, { x: rightX, width: 380 });
  const mottoWidth = doc.font("bold").fontSize(12.5).widthOfString(motto);
  doc.lineWidth(0.8).strokeColor(COLORS.ink).moveTo(rightX - mottoWidth / 2, doc.y + 2).lineTo(rightX + mottoWidth / 2, doc.y + 2).stroke();

  // Title.
  centered("GIẤY CHỨNG NHẬN", 116, "bold", 40, COLORS.red);
  centered("HOÀN THÀNH KHÓA BỒI DƯỠNG KỸ NĂNG SỐ", doc.y + 2, "medium", 13, COLORS.navy);
  const ruleY = doc.y + 10;
  doc.lineWidth(0.8).strokeColor(COLORS.gold).moveTo(cx - 150, ruleY).lineTo(cx - 10, ruleY).moveTo(cx + 10, ruleY).lineTo(cx + 150, ruleY).stroke();
  doc.save().translate(cx, ruleY).rotate(45).rect(-3.5, -3.5, 7, 7).fill(COLORS.gold).restore();

  // The holder.
  centered("Chứng nhận ông/bà", ruleY + 16, "italic", 13, COLORS.ink);
  const nameWidth = W - 200;
  centered(cert.fullName, doc.y + 2, "bold", fit(cert.fullName, "bold", 30, 16, nameWidth), COLORS.navy, { width: nameWidth });
  const where = [cert.position && `Chức vụ: ${cert.position}`, cert.unitName && `Đơn vị: ${cert.unitName}`].filter(Boolean).join("   ·   ");
  if (where) centered(where, doc.y + 4, "regular", fit(where, "regular", 12, 9, W - 180, 2), COLORS.ink, { width: W - 180 });

  // The course.
  centered("Đã hoàn thành chương trình bồi dưỡng", doc.y + 12, "italic", 13, COLORS.ink);
  const courseWidth = W - 220;
  centered(cert.courseTitle, doc.y + 3, "bold", fit(cert.courseTitle, "bold", 19, 11, courseWidth, 2), COLORS.ink, { width: courseWidth });
  const dates = `Ngày hoàn thành: ${formatDate(cert.completedAt)}        Giá trị đến: ${cert.expiresAt ? formatDate(cert.expiresAt) : NO_EXPIRY}`;
  centered(dates, doc.y + 10, "medium", 12, COLORS.ink);
  // Long unit names and course titles wrap; the date line of the signature block then moves
  // down rather than touching the dates (the signature space above the dotted line shrinks).
  const bodyBottom = doc.y;

  // Footer left: the QR code and how to verify.
  const qrSize = 84;
  const qrX = 62;
  const qrY = H - 62 - qrSize;
  doc.rect(qrX - 4, qrY - 4, qrSize + 8, qrSize + 8).fill("#ffffff");
  // Drawn as vector squares (runs of dark modules per row): sharp at any print size, and
  // several times faster than encoding a PNG and having pdfkit decode it again.
  const cell = qrSize / qr.size;
  for (let y = 0; y < qr.size; y++) {
    for (let x = 0; x < qr.size; x++) {
      if (!qr.get(y, x)) continue;
      let run = 1;
      while (x + run < qr.size && qr.get(y, x + run)) run++;
      doc.rect(qrX + x * cell, qrY + y * cell, run * cell + 0.05, cell + 0.05);
      x += run - 1;
    }
  }
  doc.fill("#111827");
  const textX = qrX + qrSize + 14;
  const textW = 240;
  doc.font("medium").fontSize(9.5).fillColor(COLORS.ink).text("Xác thực giấy chứng nhận", textX, qrY + 4, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.muted).text("Quét mã QR hoặc nhập mã tại", textX, doc.y + 2, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.navy).text(url.replace(/\/verify\/.*$/, "/verify"), textX, doc.y + 1, { width: textW });
  doc.font("regular").fontSize(8.5).fillColor(COLORS.muted).text("Mã xác thực:", textX, doc.y + 6, { width: textW });
  doc.font("bold").fontSize(10).fillColor(COLORS.ink).text(display, textX, doc.y + 1, { width: textW });

  // Footer right: date, signature line and the issuing authority.
  const signX = W - 215;
  const signW = 300;
  centered(vietnameseDateLine(cert.issuedAt), Math.max(H - 178, bodyBottom + 8), "italic", 11.5, COLORS.ink, { x: signX, width: signW });
  centered("THỦ TRƯỞNG CƠ QUAN", doc.y + 3, "bold", 11.5, COLORS.ink, { x: signX, width: signW });
  centered("(Ký, ghi rõ họ tên và đóng dấu)", doc.y, "italic", 9, COLORS.muted, { x: signX, width: signW });
  const lineY = H - 82;
  doc.lineWidth(0.6).strokeColor(COLORS.muted).dash(2, { space: 2 }).moveTo(signX - 100, lineY).lineTo(signX + 100, lineY).stroke().undash();
  centered(cert.issuer, lineY + 6, "bold", 11, COLORS.navy, { x: signX, width: signW });

  const status = statusOf(cert);
  if (status === "revoked" || status === "replaced") {
    const mark = status === "revoked" ? "ĐÃ THU HỒI" : "ĐÃ THAY THẾ";
    doc.save().rotate(-22, { origin: [cx, H / 2] });
    doc.font("bold").fontSize(96).fillColor(COLORS.red, 0.28).text(mark, 0, H / 2 - 60, { width: W, align: "center", lineBreak: false });
    doc.lineWidth(6).strokeColor(COLORS.red, 0.28).rect(cx - 330, H / 2 - 75, 660, 140).stroke();
    doc.restore();
  }

  doc.end();
  if (!sign) return done;
  // Signed with the deployment's key when one is configured (PAdES): an inspector reading the
  // file offline sees who issued it and that it was not changed.
  const { signPdf } = await import("~/certificates/pdf-signing.server");
  return signPdf(await done, {
    reason: `Giấy chứng nhận hoàn thành khóa bồi dưỡng, mã ${display}`,
    location: cert.issuer,
    name: cert.issuer,
    contactInfo: url,
  });
}

/** The PDF as a download. */
export async function certificatePdfResponse(cert: CertificateRecord): Promise<Response> {
  const pdf = await renderCertificatePdf(cert);
  return new Response(new Uint8Array(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename="${groupCode(cert.code)}.pdf"`,
      "Content-Length": String(pdf.byteLength),
      "Cache-Control": "private, no-store",
    },
  });
}
