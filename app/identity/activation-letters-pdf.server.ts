// Activation letters: one A4 page per person, printed by the personnel office and handed out
// where mail is unreliable. Each page carries the person's name and unit, the one-time code,
// the address to type it at and a QR code that opens that address. The letter is a Vietnamese
// office document: its wording is fixed here, not taken from the translation files.
import { nextTurn } from "~/platform/concurrency.server";
import { loadFonts, loadPdfLibraries } from "~/platform/pdf.server";
import { formatDate } from "~/utils/vietnam-time";
import type { ActivationLetter } from "~/identity/activation.server";

const INK = "#1f2937";
const MUTED = "#4b5563";
const BRAND = "#1e3a8a";

export async function renderActivationLetters(letters: ActivationLetter[], options: { origin: string; issuer: string; unitName: string }): Promise<Buffer> {
  const { PDFDocument, QRCode } = await loadPdfLibraries();
  const fonts = loadFonts(PDFDocument);
  const doc = new PDFDocument({ size: "A4", margin: 56, autoFirstPage: false, info: { Title: `Thư kích hoạt tài khoản — ${options.unitName}`, Author: options.issuer } });
  for (const [name, font] of Object.entries(fonts)) doc.registerFont(name, font as Buffer);
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const address = `${options.origin}/activate`;
  // One QR code for the whole bundle: it opens the page where the code is typed, never the code itself.
  const qr = await QRCode.toBuffer(address, { errorCorrectionLevel: "M", margin: 1, width: 240 });
  if (!letters.length) doc.addPage().font("regular").fontSize(12).fillColor(INK).text("Không có người nào cần kích hoạt tài khoản.");
  for (const [index, letter] of letters.entries()) {
    // pdfkit works synchronously: other requests are served between every few pages.
    if (index && index % 20 === 0) await nextTurn();
    doc.addPage();
    const width = doc.page.width - 112;
    doc.font("bold").fontSize(11).fillColor(INK).text(options.issuer.toUpperCase(), 56, 56, { width: 260, align: "center" });
    doc.font("bold").fontSize(11).text("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 300, 56, { width: 240, align: "center" });
    doc.font("bold").fontSize(11.5).text("Độc lập - Tự do - Hạnh phúc", 300, doc.y, { width: 240, align: "center" });
    doc.font("bold").fontSize(18).fillColor(BRAND).text("THƯ KÍCH HOẠT TÀI KHOẢN HỌC TẬP", 56, 140, { width, align: "center" });
    doc.font("regular").fontSize(12).fillColor(INK).text("Nền tảng đào tạo kỹ năng số Kỹ Năng Số", { width, align: "center" });
    doc.moveDown(1.5);
    doc.font("regular").fontSize(12).text("Kính gửi: ", 56, doc.y, { continued: true }).font("bold").text(letter.fullName);
    doc.font("regular").text(`Chức vụ: ${letter.position || "—"}`);
    doc.text(`Đơn vị: ${letter.unitName}`);
    doc.text(`Email đăng nhập: ${letter.email}`);
    doc.moveDown();
    doc.text(
      "Tài khoản học tập của đồng chí đã được tạo. Để bắt đầu học, đồng chí truy cập địa chỉ dưới đây " +
        "(hoặc quét mã QR bằng điện thoại), nhập mã kích hoạt và đặt mật khẩu của mình.",
      { width, lineGap: 3 },
    );
    doc.moveDown();
    const boxY = doc.y;
    doc.roundedRect(56, boxY, width, 150, 8).lineWidth(1).strokeColor(BRAND).stroke();
    doc.image(qr, 72, boxY + 15, { width: 120 });
    doc.font("regular").fontSize(11).fillColor(MUTED).text("Địa chỉ kích hoạt", 210, boxY + 20);
    doc.font("bold").fontSize(13).fillColor(INK).text(address, 210, doc.y + 2, { width: width - 170 });
    doc.font("regular").fontSize(11).fillColor(MUTED).text("Mã kích hoạt (dùng một lần)", 210, doc.y + 10);
    doc.font("bold").fontSize(24).fillColor(BRAND).text(letter.code, 210, doc.y + 2);
    doc.y = boxY + 165;
    doc.font("regular").fontSize(11).fillColor(INK);
    const notes = [
      `Mã có hiệu lực đến hết ngày ${formatDate(letter.expiresAt)} và chỉ dùng được một lần; thư kích hoạt mới làm mã cũ hết hiệu lực.`,
      "Mật khẩu cần ít nhất 12 ký tự, gồm chữ và số. Không dùng lại mật khẩu của hộp thư công vụ hay tài khoản khác.",
      "Giữ thư này như giữ mật khẩu: không chụp ảnh gửi qua mạng xã hội, không đưa cho người khác. Sau khi kích hoạt, hãy hủy thư.",
      "Cần hỗ trợ, đồng chí liên hệ bộ phận tổ chức cán bộ của đơn vị.",
    ];
    for (const note of notes) doc.text(`•  ${note}`, 56, doc.y + 4, { width, lineGap: 2 });
  }
  doc.end();
  return done;
}
