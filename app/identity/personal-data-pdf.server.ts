// The person's own data as a readable PDF: the same content as the JSON download, laid out in
// Vietnamese for someone who will not open a JSON file.
import type { PersonalData } from "~/identity/personal-data.data.server";
import { newPdfDocument } from "~/platform/pdf.server";
import { formatDate } from "~/utils/vietnam-time";

const ROLE = { learner: "Học viên", trainer: "Giảng viên", hr: "Cán bộ tổ chức (nhân sự)", admin: "Quản trị viên" } as Record<string, string>;
const day = (d: Date | null | undefined) => (d ? formatDate(d) : "—");

export async function renderPersonalDataPdf(data: PersonalData, now = new Date()): Promise<Buffer> {
  const { doc, done } = await newPdfDocument({ size: "A4", margin: 50, info: { Title: "Dữ liệu cá nhân", Creator: "Kỹ Năng Số" } });
  const heading = (text: string) => doc.moveDown(0.8).font("bold").fontSize(12).fillColor("#1e3a8a").text(text).moveDown(0.3);
  const line = (label: string, value: string) => doc.font("regular").fontSize(10).fillColor("#1f2937").text(`${label}: `, { continued: true }).font("medium").text(value);
  const p = data.profile;
  doc.font("bold").fontSize(15).fillColor("#1f2937").text("DỮ LIỆU CÁ NHÂN HỆ THỐNG KỸ NĂNG SỐ LƯU VỀ BẠN", { align: "center" });
  doc.font("italic").fontSize(10).fillColor("#4b5563").text(`Trích xuất ngày ${formatDate(now)}`, { align: "center" });
  heading("Thông tin cá nhân");
  line("Họ và tên", p.fullName);
  line("Email", p.email);
  line("Mã cán bộ", p.employeeCode ?? "—");
  line("Chức vụ", p.position || "—");
  line("Đơn vị", `${p.orgUnit.nameVi} (${p.orgUnit.code})`);
  line("Số CCCD", p.nationalId ?? "—");
  line("Ngày sinh", day(p.birthDate));
  line("Tài khoản tạo ngày", day(p.createdAt));
  line("Kích hoạt ngày", day(p.activatedAt));
  line("Vai trò", p.roles.length ? p.roles.map((r) => `${ROLE[r.role] ?? r.role} (${r.unit})`).join("; ") : "Học viên");
  heading("Cách đăng nhập (không lưu mật khẩu dạng đọc được)");
  line("Mật khẩu", data.signIn.password ? "đã đặt" : "chưa đặt");
  line("Ứng dụng xác thực", data.signIn.authenticatorApp ? `bật từ ${day(data.signIn.authenticatorApp)}` : "không dùng");
  line("Khóa truy cập (passkey)", data.signIn.passkeys.length ? String(data.signIn.passkeys.length) : "không dùng");
  line("Phiên đăng nhập đang mở", String(data.signIn.openSessions));
  heading("Quá trình học");
  if (!data.learning.length) doc.font("regular").fontSize(10).text("Chưa ghi danh khóa học nào.");
  for (const e of data.learning) {
    const attempts = e.attempts.map((a) => `lần ${a.number}: ${a.score ?? "—"}%`).join(", ");
    doc
      .font("medium")
      .fontSize(10)
      .fillColor("#1f2937")
      .text(`${e.course}${e.cycle > 1 ? ` (lượt ${e.cycle})` : ""}`)
      .font("regular")
      .text(`Ghi danh ${day(e.createdAt)}; hoàn thành ${day(e.completedAt)}; ${e.lessonsCompleted} bài đã học${attempts ? `; bài kiểm tra ${attempts}` : ""}${e.exemptAt ? `; được miễn: ${e.exemptReason ?? ""}` : ""}`, { indent: 12 });
  }
  heading("Giấy chứng nhận");
  if (!data.certificates.length) doc.font("regular").fontSize(10).text("Chưa có.");
  for (const c of data.certificates) doc.font("regular").fontSize(10).text(`${c.code} — ${c.courseTitle}, cấp ngày ${day(c.issuedAt)}`);
  heading("Thư hệ thống đã gửi cho bạn (100 thư gần nhất)");
  if (!data.mail.length) doc.font("regular").fontSize(10).text("Chưa có.");
  for (const m of data.mail) doc.font("regular").fontSize(10).text(`${day(m.createdAt)} — ${m.subject}`);
  heading("Thao tác của bạn trong nhật ký hệ thống (200 thao tác gần nhất)");
  for (const a of data.activity) doc.font("regular").fontSize(9).text(`${day(a.at)} ${a.action}${a.outcome !== "ok" ? ` (${a.outcome})` : ""}${a.ip ? ` — ${a.ip}` : ""}`);
  doc.end();
  return done;
}
