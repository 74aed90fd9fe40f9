// Command line of Kỹ Năng Số: `npm run kns -- <command> [arguments]`.
import fs from "node:fs";
import path from "node:path";
import readline from "node:readline";
import { fileURLToPath } from "node:url";
import { backupDatabase, restoreDatabase } from "~/platform/backup.server";
import { env } from "~/platform/env.server";
import { describeUnitProblem, importOfficialUnits, UnitImportError } from "~/hr/org-units.server";
import { getT, INTL_LOCALE, isLang, translate, type Lang } from "~/utils/i18n";

/** The official list of provinces and communes shipped with the project (see its README). */
/** The demo's self-signed signing key; `npm run demo` points SIGNING_P12_FILE at it. */
const DEMO_SIGNING = { file: "data/demo-signing.p12", passphrase: "kynangso-demo" };
const OFFICIAL_UNITS_FILE = fileURLToPath(new URL("../prisma/official-units/vn-admin-units.json", import.meta.url));

/** Messages of the content and import commands: Vietnamese, or English with KNS_LANG=en. */
function cliLang(): Lang {
  return isLang(process.env.KNS_LANG) ? process.env.KNS_LANG : "vi";
}

function cliT() {
  return getT(cliLang());
}

const USAGE = `Cách dùng / usage: npm run kns -- <lệnh>
  import-units [file.json]   nhập danh mục tỉnh và xã/phường (không có tệp: danh mục chính thức kèm theo)
  import-units --departments <tệp> [--dry-run]
                             nhập cơ quan, phòng ban và biên chế từ CSV/XLSX
  backup <file>              sao lưu cơ sở dữ liệu trong khi ứng dụng vẫn chạy
  restore <file>             khôi phục từ bản sao lưu (dừng ứng dụng trước)
  content-check [dir]        kiểm tra nội dung khóa học (mặc định content/)
  content-sync [dir]         nạp nội dung khóa học vào cơ sở dữ liệu và xuất bản khi có thay đổi
  import-staff <tệp> [--dry-run] [--full] [--scope MÃ]
                             nhập danh sách cán bộ từ CSV/XLSX (--dry-run: chỉ kiểm tra)
  import-questions <khóa-học> <tệp> [--dry-run]
                             nhập câu hỏi (Moodle XML, GIFT, Aiken, XLSX/CSV) vào bản nháp ngân hàng câu hỏi
  reminders                  gửi thư nhắc học sắp đến hạn và quá hạn
  demo-data                  nạp dữ liệu mẫu (chỉ dùng để dùng thử)
  renewals [--lead-days N]   ghi danh học lại cho người có chứng nhận sắp hết hạn (mặc định RENEWAL_LEAD_DAYS)
  create-admin --email <e> --unit <mã> [--name "Họ và tên"] [--link]
                             tạo quản trị viên đầu tiên (hỏi mật khẩu, hoặc in liên kết kích hoạt với --link)
  mail-test <địa chỉ>        gửi một thư thử để kiểm tra cấu hình SMTP`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "import-units": {
      if (args[0] === "--departments") return importDepartments(args.slice(1));
      // Without a file: the official list shipped in the repository (prisma/official-units).
      const file = args[0] ?? OFFICIAL_UNITS_FILE;
      let data: unknown;
      try {
        data = JSON.parse(fs.readFileSync(file, "utf8"));
      } catch (e) {
        return fail(`không đọc được tệp JSON / cannot read JSON: ${(e as Error).message}`);
      }
      try {
        const s = await importOfficialUnits(data);
        console.log(
          `Đã nhập ${s.provinces} tỉnh/thành phố và ${s.communes} xã/phường/đặc khu: ` +
            `${s.created} thêm mới, ${s.updated} cập nhật, ${s.unchanged} không đổi.`,
        );
        return 0;
      } catch (e) {
        if (e instanceof UnitImportError) {
          const t = cliT();
          return fail(`${t("units.import.refused")}\n${e.problems.map((p) => `  ${describeUnitProblem(t, p)}`).join("\n")}`);
        }
        throw e;
      }
    }
    case "backup": {
      if (!args[0]) return fail("thiếu đường dẫn tệp sao lưu / missing backup file");
      const r = await backupDatabase(env.DATABASE_URL, args[0]);
      console.log(`Đã sao lưu vào ${r.file} (${Math.round(r.bytes / 1024)} KB, kiểm tra: ${r.integrity}).`);
      return 0;
    }
    case "restore": {
      if (!args[0]) return fail("thiếu đường dẫn tệp sao lưu / missing backup file");
      await restoreDatabase(env.DATABASE_URL, args[0]);
      console.log(`Đã khôi phục từ ${args[0]}.`);
      return 0;
    }
    case "content-check": {
      const { checkContent } = await import("~/content/content-sync.server");
      const t = cliT();
      const { courses, problems } = checkContent(args[0] ?? "content");
      for (const p of problems) console.error(`${p.file}:${p.line}:${p.column}: ${translate(t, p)}`);
      if (problems.length) return 1;
      const count = (of: (c: (typeof courses)[number]) => unknown[]) => courses.reduce((n, c) => n + of(c).length, 0);
      console.log(t("contentCli.valid", { courses: courses.length, lessons: count((c) => c.lessons), questions: count((c) => c.questions) }));
      return 0;
    }
    case "content-sync": {
      const { syncContent } = await import("~/content/content-sync.server");
      const t = cliT();
      const { summary, problems, rejected } = await syncContent(args[0] ?? "content");
      for (const p of problems) console.error(`${p.file}:${p.line}:${p.column}: ${translate(t, p)}`);
      for (const slug of rejected) console.error(t("contentCli.rejected", { slug }));
      for (const s of summary) {
        if (s.refused.length) {
          const refused = s.refused.map((p) => t(`author.publish.problems.${p}`, { defaultValue: p })).join(" ");
          console.error(t("contentCli.notPublished", { slug: s.slug, problems: refused }));
          continue;
        }
        const done = { slug: s.slug, compiled: s.lessonsCompiled, number: s.published };
        console.log(s.published ? t("contentCli.published", done) : t("contentCli.unchanged", done));
      }
      return problems.length || rejected.length || summary.some((s) => s.refused.length) ? 1 : 0;
    }
    case "renewals": {
      const { createRenewals } = await import("~/certificates/issue.server");
      const flag = args.indexOf("--lead-days");
      const lead = flag >= 0 ? Number(args[flag + 1]) : env.RENEWAL_LEAD_DAYS;
      if (!Number.isInteger(lead) || lead < 0 || lead > 366) return fail("--lead-days phải là số nguyên 0–366 / must be an integer 0–366");
      const r = await createRenewals(new Date(), lead);
      console.log(`Chứng nhận hết hạn trong ${lead} ngày: ${r.candidates}; ghi danh học lại mới: ${r.created}.`);
      return 0;
    }
    case "import-staff": {
      const file = args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--scope");
      if (!file) return fail("thiếu đường dẫn tệp / missing file path");
      const { readTable, SpreadsheetError } = await import("~/hr/spreadsheet.server");
      const { planImport, applyImport, ROSTER_HEADERS } = await import("~/hr/staff-import.server");
      const { findUnitByCode } = await import("~/hr/org-units.data.server");
      const t = cliT();
      const number = (n: number) => n.toLocaleString(INTL_LOCALE[cliLang()]);
      const scopeCode = args[args.indexOf("--scope") + 1];
      const scope = args.includes("--scope") ? await findUnitByCode(scopeCode ?? "") : null;
      if (args.includes("--scope") && !scope) return fail(`không có đơn vị ${scopeCode}`);
      let table;
      try {
        table = readTable(file, new Uint8Array(fs.readFileSync(file)), ROSTER_HEADERS);
      } catch (e) {
        if (e instanceof SpreadsheetError) return fail(t(`hr.fileErrors.${e.code}`, { detail: e.message }));
        throw e;
      }
      // Progress goes to stderr, so the summary on stdout stays easy to read or capture.
      const progress = (key: string) => (done: number, total: number) =>
        console.error(t(key, { done: number(done), total: number(total) }));
      console.log(t("hr.progress.start", { rows: number(table.rows.length) }));
      const plan = await planImport(table, [scope?.path ?? "/"], { fullRoster: args.includes("--full"), onProgress: progress("hr.progress.checking") });
      console.log(plan.source.sheet ? t("hr.sourceSheet", { sheet: plan.source.sheet, row: plan.source.headerRow }) : t("hr.sourceRow", { row: plan.source.headerRow }));
      if (plan.source.otherSheets.length) console.log(t("hr.otherSheets", { sheets: plan.source.otherSheets.join(", ") }));
      if (plan.unknownColumns.length) console.log(t("hr.unknownColumns", { columns: plan.unknownColumns.join(", ") }));
      for (const r of plan.repairs) console.log(t("hr.repair", { row: r.row, column: t(`hr.fields.${r.column}`), from: r.from, to: r.to }));
      if (plan.missingColumns.length) return fail(t("hr.missingColumns", { columns: plan.missingColumns.map((c) => t(`hr.fields.${c}`)).join(", ") }));
      for (const e of plan.errors.slice(0, 200)) console.error(`${file}:${e.row}: ${t(`hr.fields.${e.column}`)}: ${t(`hr.rowErrors.${e.code}`, e.params ?? {})}`);
      if (plan.errors.length > 200) console.error(t("hr.progress.moreErrors", { count: plan.errors.length - 200 }));
      console.log(t("hr.planSummary", { create: plan.create.length, update: plan.update.length, deactivate: plan.deactivate.length, unchanged: plan.unchanged }));
      if (plan.errors.length) return fail(t("hr.planErrors", { count: plan.errors.length }));
      if (args.includes("--dry-run")) return 0;
      console.log(t("hr.progress.applyStart"));
      const r = await applyImport(plan, { id: null, orgUnitId: scope?.id ?? null }, "cli", file, progress("hr.progress.applying"));
      console.log(t("hr.applied", r));
      return 0;
    }
    case "import-questions":
      return importQuestions(args);
    case "reminders": {
      const { sendReminders } = await import("~/hr/assignments.server");
      const r = await sendReminders();
      console.log(`Đã gửi ${r.dueSoon} thư sắp đến hạn và ${r.overdue} thư quá hạn; ${r.rolledOver} khóa học hằng năm chuyển sang kỳ mới.`);
      return 0;
    }
    case "demo-data": {
      // Demo accounts have published passwords: a production database never gets them.
      if (env.NODE_ENV === "production") return fail("không nạp dữ liệu mẫu khi NODE_ENV=production / demo data is never loaded in production");
      // The demo's people have invented addresses: its reminders stay in the outbox.
      delete process.env.SMTP_URL;
      const { loadDemoData, DemoRefused } = await import("./demo-data");
      try {
        await loadDemoData((line) => console.log(line));
      } catch (e) {
        if (e instanceof DemoRefused) return fail("cơ sở dữ liệu đã có người dùng thật, không nạp dữ liệu mẫu / the database holds real people: demo data refused");
        throw e;
      }
      // The demo signs its certificates with a self-signed key named as a demo (npm run demo uses it).
      if (!fs.existsSync(DEMO_SIGNING.file)) {
        const { createDemoSigningIdentity } = await import("~/certificates/pdf-signing.server");
        fs.mkdirSync(path.dirname(DEMO_SIGNING.file), { recursive: true });
        createDemoSigningIdentity(DEMO_SIGNING.file, DEMO_SIGNING.passphrase, `${env.ISSUING_AUTHORITY} (DEMO)`);
        console.log(`demo signing key: ${DEMO_SIGNING.file} (self-signed, no legal value)`);
      }
      return 0;
    }
    case "create-admin": {
      const t = cliT();
      const option = (name: string) => {
        const i = args.indexOf(`--${name}`);
        return i >= 0 && args[i + 1] && !args[i + 1].startsWith("--") ? args[i + 1] : null;
      };
      const email = (option("email") ?? "").trim().toLowerCase();
      const unitCode = option("unit");
      if (!email || !unitCode) return fail(t("account.cli.usage"));
      const { findUnitByCode } = await import("~/hr/org-units.data.server");
      const { checkNewAdministrator, createFirstAdministrator } = await import("~/identity/administrators.server");
      const unit = await findUnitByCode(unitCode);
      if (!unit) return fail(t("account.cli.noUnit", { code: unitCode }));
      const problem = await checkNewAdministrator(email);
      if (problem) return fail(t(`account.cli.${problem}`, { email }));
      let password: { value: string; confirm: string } | null = null;
      if (!args.includes("--link")) {
        const answers = await askPasswords([t("account.cli.password"), t("account.cli.confirm")]);
        password = { value: answers[0], confirm: answers[1] };
      }
      const result = await createFirstAdministrator({ email, fullName: option("name") ?? "", unit, password });
      if (!result.ok) return fail(t(`account.cli.${result.error}`, { email }));
      console.log(t("account.cli.created", { email, unit: `${unit.code} — ${unit.nameVi}` }));
      // The link is the new administrator's secret: printed for the operator only, never logged.
      if (result.link) console.log(t("account.cli.link", { link: result.link, days: env.ACTIVATION_DAYS }));
      return 0;
    }
    case "mail-test": {
      const t = cliT();
      const to = (args[0] ?? "").trim();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(to)) return fail(t("account.cli.invalidEmail", { email: to }));
      if (!env.SMTP_URL) return fail(t("account.cli.noSmtp"));
      const nodemailer = (await import("nodemailer")).default;
      try {
        const info = await nodemailer.createTransport(env.SMTP_URL).sendMail({
          from: env.MAIL_FROM ?? "Kỹ Năng Số <no-reply@kynangso.local>",
          to,
          subject: t("account.cli.testSubject"),
          text: t("account.cli.testBody"),
        });
        console.log(t("account.cli.mailSent", { to, response: info.response }));
        return 0;
      } catch (e) {
        return fail(t("account.cli.mailFailed", { reason: (e as Error).message }));
      }
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
}

/** `import-questions <course> <file> [--dry-run]`: a question file into the course's draft bank. */
async function importQuestions(args: string[]): Promise<number> {
  // The texts are loaded before the translator is made: one made earlier knows nothing of them.
  await import("~/locales/question-bank");
  const { findCourseForAccess } = await import("~/content/authoring.data.server");
  const { importFromCommandLine } = await import("~/content/question-bank/question-import.server");
  const t = cliT();
  const [slug, file] = args.filter((a) => !a.startsWith("--"));
  if (!slug || !file) return fail(t("qbank.cli.usage"));
  const course = await findCourseForAccess(slug);
  if (!course) return fail(t("qbank.cli.noCourse", { slug }));
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return fail(`${file}: ${(e as Error).message}`);
  }
  const result = await importFromCommandLine(course, path.basename(file), bytes, args.includes("--dry-run"));
  if (!result.ok) {
    const lines = result.problems.map((p) => {
      const where = p.key.startsWith("qbank.problems.") ? `${t(p.params.line ? "qbank.atLine" : "qbank.at", p.params)}: ` : "";
      return `  ${file}: ${where}${t(p.key, p.params)}`;
    });
    return fail(`${t("qbank.cli.refused")}\n${lines.join("\n")}`);
  }
  const { plan } = result;
  const encoding = plan.encoding ? t(`qbank.encodings.${plan.encoding}`) : "—";
  console.log(t("qbank.cli.read", { file, format: t(`qbank.formats.${plan.format}`), encoding }));
  for (const q of plan.questions) {
    console.log(t("qbank.cli.question", { number: q.position, key: q.key, type: t(`author.quiz.types.${q.type}`), choices: q.choices.length, image: q.image ? `, ${q.image.name}` : "" }));
  }
  for (const s of plan.skipped) console.log(t("qbank.cli.skipped", { number: s.position, kind: t(`qbank.kinds.${s.kind}`, { defaultValue: s.kind }) }));
  const counts = { added: plan.questions.length, skipped: plan.skipped.length, slug };
  console.log(args.includes("--dry-run") ? t("qbank.cli.dryRun", counts) : t("qbank.cli.done", { ...counts, added: result.added ?? 0 }));
  return 0;
}

/** `import-units --departments <file> [--dry-run]`: agencies and headcounts, by the roster's rules. */
async function importDepartments(args: string[]): Promise<number> {
  const t = cliT();
  const file = args.find((a) => !a.startsWith("--"));
  if (!file) return fail(t("admin.departments.file"));
  const { readTable, SpreadsheetError } = await import("~/hr/spreadsheet.server");
  const { applyDepartments, DEPARTMENT_HEADERS, planDepartments } = await import("~/hr/department-import.server");
  let table;
  try {
    table = readTable(file, new Uint8Array(fs.readFileSync(file)), DEPARTMENT_HEADERS);
  } catch (e) {
    if (e instanceof SpreadsheetError) return fail(t(`hr.fileErrors.${e.code}`, { detail: e.message }));
    throw e;
  }
  // The command line acts for the whole deployment.
  const plan = await planDepartments(table, ["/"]);
  const field = (f: string) => t(`admin.departments.fields.${f}`);
  if (plan.unknownColumns.length) console.log(t("admin.departments.unknownColumns", { columns: plan.unknownColumns.join(", ") }));
  if (plan.missingColumns.length) return fail(t("admin.departments.missingColumns", { columns: plan.missingColumns.map(field).join(", ") }));
  for (const e of plan.errors) console.error(`${file}:${e.row}: ${field(e.column)}: ${t(`admin.departments.rowErrors.${e.code}`, e.params ?? {})}`);
  if (plan.errors.length) return fail(t("admin.departments.errorsTitle", { count: plan.errors.length }));
  console.log(t("admin.departments.summary", { create: plan.create.length, update: plan.update.length, unchanged: plan.unchanged }));
  if (args.includes("--dry-run")) return 0;
  console.log(t("admin.departments.applied", await applyDepartments(plan, { id: null, orgUnitId: null }, "cli", file)));
  return 0;
}

/**
 * Reads passwords without echoing them: from the terminal, or one per line from standard input
 * when it is not a terminal (an install script).
 */
async function askPasswords(prompts: string[]): Promise<string[]> {
  const answers: string[] = [];
  if (!process.stdin.isTTY) {
    const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
    for (const prompt of prompts) {
      process.stderr.write(`${prompt}\n`);
      const next = await lines.next();
      answers.push(next.done ? "" : String(next.value));
    }
    return answers;
  }
  for (const prompt of prompts) {
    process.stderr.write(prompt);
    answers.push(
      await new Promise<string>((resolve) => {
        let typed = "";
        process.stdin.setRawMode(true);
        process.stdin.resume();
        const onData = (chunk: Buffer) => {
          for (const ch of chunk.toString("utf8")) {
            if (ch === "\r" || ch === "\n") {
              process.stdin.off("data", onData);
              process.stdin.setRawMode(false);
              process.stdin.pause();
              process.stderr.write("\n");
              resolve(typed);
              return;
            }
            if (ch === "\u0003") process.exit(130);
            typed = ch === "\u007f" || ch === "\b" ? typed.slice(0, -1) : typed + ch;
          }
        };
        process.stdin.on("data", onData);
      }),
    );
  }
  return answers;
}

function fail(message: string): number {
  console.error(`Lỗi / error: ${message}`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(`Lỗi / error: ${(e as Error).message}`);
    process.exit(1);
  },
);
