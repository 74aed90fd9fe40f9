// Realistic load-test data, written fast with raw bulk inserts (never per-row Prisma calls).
//
//   npx tsx scripts/generate-data.ts --province [--staff 40000] --db file:./bench/.data/province.db
//   npx tsx scripts/generate-data.ts --national [--staff 2500000] --db postgresql://…/kns_bench [--units <file>]
//
// Province: Lào Cai with its 99 real communes (prisma/demo/lao-cai-units.json) and 12
// departments. National: the 34 provinces and 3,321 communes of the official list (--units,
// default prisma/official-units/vn-admin-units.json). Both: 12 published courses (the 3 shipped in
// content/ plus 9 copies under new titles), staff with Vietnamese names and positions, about
// 60% of them enrolled in 1–3 courses, lesson completions, submitted quiz attempts with their
// questions, certificates for completed enrolments, two HR assignments per province and
// approved headcounts. Each province is written in its own transaction, so an interrupted run
// is resumed by running the same command again (finished provinces are skipped).
// Never for production databases: it refuses a database that already has other people in it.
import { hash } from "@node-rs/argon2";
import Database from "better-sqlite3";
import { spawnSync } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import pg from "pg";
import { codeFromBytes } from "~/utils/certificates";

// ---------------------------------------------------------------------------------------------
// Arguments

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const national = process.argv.includes("--national");
if (!national && !process.argv.includes("--province")) {
  console.error("usage: generate-data.ts --province|--national [--staff N] --db <DATABASE_URL> [--units file] [--seed N]");
  process.exit(2);
}
const staffTotal = Number(arg("staff") ?? (national ? 2_500_000 : 40_000));
const databaseUrl = arg("db") ?? process.env.DATABASE_URL ?? "file:./data/kynangso.db";
const unitsFile = arg("units") ?? (national ? "prisma/official-units/vn-admin-units.json" : "prisma/demo/lao-cai-units.json");
const seed = Number(arg("seed") ?? 2026);
const isPostgres = /^postgres(ql)?:\/\//.test(databaseUrl);
const quiet = process.argv.includes("--quiet");
if (!Number.isInteger(staffTotal) || staffTotal < 100) throw new Error("--staff must be an integer ≥ 100");

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const log = (line: string) => {
  if (!quiet) console.log(`[${elapsed()}] ${line}`);
};

// ---------------------------------------------------------------------------------------------
// Deterministic randomness: the same seed gives the same people, enrolments and scores.

function mulberry32(a: number) {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
let rand = mulberry32(seed);
const int = (min: number, max: number) => min + Math.floor(rand() * (max - min + 1));
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
function shuffled<T>(list: readonly T[]): T[] {
  const a = [...list];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

// ---------------------------------------------------------------------------------------------
// People and places

const SURNAMES = ["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Giàng", "Lò", "Vàng", "Hà", "Triệu", "Nông", "Sùng", "Đinh", "Lương", "Trịnh"];
const MIDDLE_F = ["Thị", "Thị", "Thu", "Ngọc", "Thanh", "Minh", "Hồng", "Phương", "Kim", "Thùy", "Bảo", "Diệu"];
const MIDDLE_M = ["Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Công", "Thành", "Trọng", "Ngọc", "Tiến"];
const GIVEN_F = ["Lan", "Hương", "Mai", "Hoa", "Thảo", "Trang", "Linh", "Ngọc", "Huyền", "Dung", "Hạnh", "Yến", "Nhung", "Vân", "Hà", "Phượng", "Anh", "Tuyết", "Oanh", "Loan", "Giang", "Hằng"];
const GIVEN_M = ["Hùng", "Dũng", "Tuấn", "Minh", "Nam", "Sơn", "Hải", "Long", "Cường", "Thắng", "Phong", "Quân", "Trung", "Khánh", "Tài", "Vinh", "Huy", "Đạt", "Hiếu", "Bình", "Thành", "Toàn"];

const DEPARTMENTS: { suffix: string; nameVi: string; nameEn: string; weight: number; positions: string[] }[] = [
  { suffix: "VP", nameVi: "Văn phòng Ủy ban nhân dân tỉnh", nameEn: "Office of the Provincial People's Committee", weight: 2, positions: [] },
  { suffix: "SNV", nameVi: "Sở Nội vụ", nameEn: "Department of Home Affairs", weight: 2, positions: [] },
  { suffix: "STC", nameVi: "Sở Tài chính", nameEn: "Department of Finance", weight: 3, positions: ["Kế toán", "Kiểm soát viên thuế"] },
  { suffix: "STP", nameVi: "Sở Tư pháp", nameEn: "Department of Justice", weight: 2, positions: ["Công chứng viên", "Trợ giúp viên pháp lý"] },
  { suffix: "SKHCN", nameVi: "Sở Khoa học và Công nghệ", nameEn: "Department of Science and Technology", weight: 2, positions: ["Kỹ sư công nghệ thông tin"] },
  { suffix: "SYT", nameVi: "Sở Y tế", nameEn: "Department of Health", weight: 18, positions: ["Bác sĩ", "Điều dưỡng", "Y sĩ", "Dược sĩ", "Hộ sinh"] },
  { suffix: "SGDDT", nameVi: "Sở Giáo dục và Đào tạo", nameEn: "Department of Education and Training", weight: 50, positions: ["Giáo viên", "Giáo viên", "Giáo viên", "Hiệu trưởng", "Phó Hiệu trưởng", "Nhân viên thư viện"] },
  { suffix: "SXD", nameVi: "Sở Xây dựng", nameEn: "Department of Construction", weight: 3, positions: ["Thanh tra viên"] },
  { suffix: "SNNMT", nameVi: "Sở Nông nghiệp và Môi trường", nameEn: "Department of Agriculture and Environment", weight: 8, positions: ["Kiểm lâm viên", "Khuyến nông viên"] },
  { suffix: "SCT", nameVi: "Sở Công Thương", nameEn: "Department of Industry and Trade", weight: 2, positions: ["Kiểm soát viên thị trường"] },
  { suffix: "SVHTTDL", nameVi: "Sở Văn hóa, Thể thao và Du lịch", nameEn: "Department of Culture, Sports and Tourism", weight: 4, positions: ["Huấn luyện viên", "Hướng dẫn viên"] },
  { suffix: "TTHCC", nameVi: "Trung tâm Phục vụ hành chính công tỉnh", nameEn: "Provincial Public Administration Service Centre", weight: 1, positions: ["Viên chức Bộ phận Một cửa"] },
];
const DEPT_POSITIONS = ["Giám đốc", "Phó Giám đốc", "Phó Giám đốc", "Chánh Văn phòng", "Trưởng phòng", "Phó Trưởng phòng", "Chánh Thanh tra", "Văn thư", "Kế toán"];
const OFFICE_POSITIONS = ["Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Cán sự", "Nhân viên"];
const COMMUNE_LEADERS = ["Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân", "Phó Chủ tịch Ủy ban nhân dân"];
const COMMUNE_POSITIONS = [
  "Công chức Văn phòng - Thống kê",
  "Công chức Tư pháp - Hộ tịch",
  "Công chức Tài chính - Kế toán",
  "Công chức Địa chính - Xây dựng",
  "Công chức Văn hóa - Xã hội",
  "Viên chức Bộ phận Một cửa",
  "Giáo viên",
  "Giáo viên",
  "Giáo viên",
  "Nhân viên y tế",
  "Chỉ huy trưởng Ban Chỉ huy quân sự",
];

const CLONES: { from: number; slug: string; title: string; titleEn: string; category: string }[] = [
  { from: 0, slug: "chu-ky-so-va-van-ban-dien-tu", title: "Chữ ký số và văn bản điện tử trong cơ quan nhà nước", titleEn: "Digital signatures and electronic documents in state agencies", category: "egov" },
  { from: 1, slug: "bao-ve-du-lieu-ca-nhan", title: "Bảo vệ dữ liệu cá nhân trong giải quyết thủ tục hành chính", titleEn: "Protecting personal data in administrative procedures", category: "security" },
  { from: 2, slug: "bien-lai-dien-tu-va-doi-soat", title: "Hóa đơn, biên lai điện tử và đối soát khoản thu", titleEn: "E-invoices, e-receipts and reconciliation of revenue", category: "payment" },
  { from: 0, slug: "khai-thac-du-lieu-dan-cu-va-vneid", title: "Khai thác Cơ sở dữ liệu quốc gia về dân cư và VNeID", titleEn: "Using the national population database and VNeID", category: "egov" },
  { from: 1, slug: "nhan-dien-lua-dao-truc-tuyen", title: "Nhận diện lừa đảo trực tuyến cho cán bộ cấp xã", titleEn: "Recognising online fraud: a course for commune officials", category: "security" },
  { from: 2, slug: "thanh-toan-tai-bo-phan-mot-cua", title: "Thanh toán không dùng tiền mặt tại Bộ phận Một cửa", titleEn: "Cash-free payment at the one-stop desk", category: "payment" },
  { from: 0, slug: "chuyen-doi-so-cap-xa", title: "Chuyển đổi số cấp xã: từ hồ sơ giấy đến hồ sơ điện tử", titleEn: "Digital transformation in communes: from paper to electronic files", category: "egov" },
  { from: 1, slug: "mang-xa-hoi-va-zalo-cong-vu", title: "An toàn khi dùng mạng xã hội và nhóm Zalo công vụ", titleEn: "Staying safe on social networks and official Zalo groups", category: "security" },
  { from: 2, slug: "thu-phi-qua-cong-dich-vu-cong", title: "Thu phí, lệ phí qua Cổng Dịch vụ công quốc gia", titleEn: "Collecting fees through the National Public Service Portal", category: "payment" },
];

const DEMO_PASSWORD = "KyNangSo@2026";
const DAY = 86_400_000;
const NOW = Date.now();

type OfficialUnit = { code: string; name: string; nameEn: string; fullName: string; unitType?: string };
type OfficialProvince = OfficialUnit & { wards: OfficialUnit[] };

// ---------------------------------------------------------------------------------------------
// Bulk writers: one interface, a prepared better-sqlite3 statement per table for SQLite and
// buffered `INSERT … SELECT * FROM unnest($1::type[], …)` batches for PostgreSQL.

type ColType = "int" | "text" | "bool" | "ts";
type Table = { name: string; cols: [string, ColType][] };
type Value = number | string | boolean | Date | null;

const T = {
  orgUnit: { name: "OrgUnit", cols: [["id", "int"], ["code", "text"], ["kind", "text"], ["unitType", "text"], ["nameVi", "text"], ["nameEn", "text"], ["parentId", "int"], ["path", "text"], ["depth", "int"], ["approvedHeadcount", "int"], ["active", "bool"], ["createdAt", "ts"], ["updatedAt", "ts"]] },
  user: { name: "User", cols: [["id", "int"], ["email", "text"], ["fullName", "text"], ["passwordHash", "text"], ["employeeCode", "text"], ["position", "text"], ["birthDate", "ts"], ["orgUnitId", "int"], ["active", "bool"], ["activatedAt", "ts"], ["createdAt", "ts"], ["updatedAt", "ts"]] },
  role: { name: "RoleAssignment", cols: [["userId", "int"], ["role", "text"], ["orgUnitId", "int"], ["createdAt", "ts"]] },
  assignment: { name: "TrainingAssignment", cols: [["id", "int"], ["courseId", "int"], ["orgUnitId", "int"], ["positions", "text"], ["dueAt", "ts"], ["recurrence", "text"], ["reminderDays", "int"], ["active", "bool"], ["createdAt", "ts"]] },
  enrollment: { name: "Enrollment", cols: [["id", "int"], ["userId", "int"], ["courseId", "int"], ["cycle", "int"], ["origin", "text"], ["assignmentId", "int"], ["dueAt", "ts"], ["createdAt", "ts"], ["completedAt", "ts"], ["lastLessonId", "int"]] },
  completion: { name: "LessonCompletion", cols: [["enrollmentId", "int"], ["lessonId", "int"], ["completedAt", "ts"]] },
  attempt: { name: "QuizAttempt", cols: [["id", "int"], ["enrollmentId", "int"], ["versionId", "int"], ["number", "int"], ["status", "text"], ["startedAt", "ts"], ["submittedAt", "ts"], ["questionCount", "int"], ["correctCount", "int"], ["score", "int"], ["passed", "bool"]] },
  attemptQuestion: { name: "AttemptQuestion", cols: [["attemptId", "int"], ["position", "int"], ["questionId", "int"], ["choiceOrder", "text"], ["answer", "text"], ["correct", "bool"]] },
  certificate: { name: "Certificate", cols: [["code", "text"], ["enrollmentId", "int"], ["userId", "int"], ["courseId", "int"], ["orgUnitId", "int"], ["fullName", "text"], ["position", "text"], ["unitName", "text"], ["courseTitle", "text"], ["issuer", "text"], ["completedAt", "ts"], ["issuedAt", "ts"], ["expiresAt", "ts"], ["status", "text"], ["revokedAt", "ts"], ["revokeReason", "text"]] },
} satisfies Record<string, Table>;

interface Writer {
  rows: number;
  insert(table: Table, row: Value[]): Promise<void>;
  transaction(fn: () => Promise<void>): Promise<void>;
  query<R>(sql: string, params?: Value[]): Promise<R[]>;
  maxId(table: string): Promise<number>;
  finish(): Promise<void>;
}

function sqliteWriter(file: string): Writer {
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -200000");
  const statements = new Map<Table, Database.Statement>();
  const toSqlite = (v: Value, t: ColType) => (v === null ? null : t === "ts" ? (v as Date).getTime() : t === "bool" ? (v ? 1 : 0) : v);
  const writer: Writer = {
    rows: 0,
    async insert(table, row) {
      let st = statements.get(table);
      if (!st) {
        st = db.prepare(`INSERT INTO "${table.name}" (${table.cols.map(([c]) => `"${c}"`).join(", ")}) VALUES (${table.cols.map(() => "?").join(", ")})`);
        statements.set(table, st);
      }
      st.run(row.map((v, i) => toSqlite(v, table.cols[i][1])));
      writer.rows++;
    },
    async transaction(fn) {
      db.exec("BEGIN");
      try {
        await fn();
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    },
    async query<R>(sql: string, params: Value[] = []) {
      const st = db.prepare(sql.replace(/\$\d+/g, "?"));
      return (st.reader ? st.all(...params) : (st.run(...params), [])) as R[];
    },
    async maxId(table) {
      return (db.prepare(`SELECT COALESCE(MAX("id"), 0) AS m FROM "${table}"`).get() as { m: number }).m;
    },
    async finish() {
      db.pragma("wal_checkpoint(TRUNCATE)");
      db.exec("ANALYZE");
      db.close();
    },
  };
  return writer;
}

async function postgresWriter(url: string): Promise<Writer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Generated data can be regenerated: trade durability for speed in this session only.
  await client.query("SET synchronous_commit = off");
  const PG_TYPES: Record<ColType, string> = { int: "int4[]", text: "text[]", bool: "bool[]", ts: "timestamp(3)[]" };
  // Buffers are flushed in the order tables were first used, so foreign keys always resolve.
  const buffers = new Map<Table, Value[][]>();
  let buffered = 0;
  const toPg = (v: Value, t: ColType) => (v === null ? null : t === "ts" ? (v as Date).toISOString().slice(0, 23) : v);
  async function flush() {
    for (const [table, rows] of buffers) {
      if (!rows.length) continue;
      const columns = table.cols.map(([, t], i) => rows.map((r) => toPg(r[i], t)));
      await client.query(
        `INSERT INTO "${table.name}" (${table.cols.map(([c]) => `"${c}"`).join(", ")}) SELECT * FROM unnest(${table.cols.map(([, t], i) => `$${i + 1}::${PG_TYPES[t]}`).join(", ")})`,
        columns,
      );
      rows.length = 0;
    }
    buffered = 0;
  }
  const writer: Writer = {
    rows: 0,
    async insert(table, row) {
      let rows = buffers.get(table);
      if (!rows) buffers.set(table, (rows = []));
      rows.push(row);
      writer.rows++;
      if (++buffered >= 50_000) await flush();
    },
    async transaction(fn) {
      await client.query("BEGIN");
      try {
        await fn();
        await flush();
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    },
    async query<R>(sql: string, params: Value[] = []) {
      await flush();
      return (await client.query(sql, params)).rows as R[];
    },
    async maxId(table) {
      await flush();
      return Number((await client.query(`SELECT COALESCE(MAX("id"), 0) AS m FROM "${table}"`)).rows[0].m);
    },
    async finish() {
      await flush();
      // Ids were assigned here, not by the sequences: move each sequence past the largest id.
      for (const t of ["OrgUnit", "User", "RoleAssignment", "TrainingAssignment", "Enrollment", "LessonCompletion", "QuizAttempt", "AttemptQuestion", "Certificate"]) {
        await client.query(`SELECT setval(pg_get_serial_sequence('"${t}"', 'id'), GREATEST((SELECT MAX("id") FROM "${t}"), 1))`);
      }
      await client.query("ANALYZE");
      await client.end();
    },
  };
  return writer;
}

// ---------------------------------------------------------------------------------------------
// Schema and courses, through the app's own code

async function ensurePostgresDatabase(url: string) {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
  if (!exists.rowCount) {
    await client.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
    log(`created database ${name}`);
  }
  await client.end();
}

function migrate() {
  const result = spawnSync("npx", ["tsx", "scripts/migrate.ts"], { env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: quiet ? "pipe" : "inherit" });
  if (result.status !== 0) throw new Error(`migration failed: ${result.stderr ?? ""}`);
}

type CourseInfo = {
  id: number;
  slug: string;
  title: string;
  versionId: number;
  validityMonths: number;
  lessonIds: number[];
  questions: { id: number; choices: { id: string; correct: boolean }[] }[];
};

/** The 3 shipped courses via syncContent, then 9 copies under new titles, each published. */
async function loadCourses(): Promise<void> {
  process.env.DATABASE_URL = databaseUrl;
  const { db } = await import("~/platform/db.server");
  const { syncContent, publishCourse } = await import("~/content/content-sync.server");
  const { summary, problems } = await syncContent("content");
  if (problems.length) throw new Error(`content problems: ${JSON.stringify(problems.slice(0, 3))}`);
  log(`shipped courses: ${summary.map((s) => s.slug).join(", ")}`);
  const shipped = await db.course.findMany({
    where: { slug: { in: summary.map((s) => s.slug) } },
    orderBy: { slug: "asc" },
    include: { lessons: { orderBy: { position: "asc" } }, questions: { orderBy: { position: "asc" } } },
  });
  // Order the sources as CLONES expects: e-government, security, payment.
  const byCategory = ["egov", "security", "payment"].map((c) => shipped.find((s) => s.category === c) ?? shipped[0]);
  let created = 0;
  for (const clone of CLONES) {
    if (await db.course.findUnique({ where: { slug: clone.slug }, select: { id: true } })) continue;
    const src = byCategory[clone.from];
    const course = await db.course.create({
      data: {
        slug: clone.slug,
        title: clone.title,
        titleEn: clone.titleEn,
        summary: src.summary,
        summaryEn: src.summaryEn,
        intro: src.intro,
        category: clone.category,
        estimatedMinutes: src.estimatedMinutes,
        validityMonths: src.validityMonths,
        passingScore: src.passingScore,
        quizSize: src.quizSize,
        maxAttempts: src.maxAttempts,
        sequential: src.sequential,
        selfEnroll: src.selfEnroll,
        reviewPolicy: src.reviewPolicy,
        origin: "web",
        lessons: {
          create: src.lessons.map((l) => ({
            slug: l.slug,
            position: l.position,
            title: l.title,
            titleEn: l.titleEn,
            minutes: l.minutes,
            source: l.source,
            sourceHash: l.sourceHash,
            html: l.html,
            rendererVersion: l.rendererVersion,
          })),
        },
        questions: {
          create: src.questions.map((q) => ({ key: q.key, position: q.position, type: q.type, prompt: q.prompt, choices: q.choices, explanation: q.explanation })),
        },
      },
    });
    const published = await publishCourse(course.id, null);
    if (!published.ok) throw new Error(`${clone.slug}: ${published.problems.join(", ")}`);
    created++;
  }
  log(`copied courses: ${created} created (${CLONES.length - created} already there)`);
  await db.$disconnect();
}

async function readCourses(w: Writer): Promise<CourseInfo[]> {
  const courses = await w.query<{ id: number; slug: string; title: string; versionId: number; validityMonths: number }>(
    `SELECT c."id" AS id, c."slug" AS slug, v."title" AS title, v."id" AS "versionId", v."validityMonths" AS "validityMonths"
     FROM "Course" c JOIN "CourseVersion" v ON v."id" = c."publishedVersionId" ORDER BY c."id"`,
  );
  const result: CourseInfo[] = [];
  for (const c of courses) {
    const lessons = await w.query<{ lessonId: number }>(`SELECT "lessonId" AS "lessonId" FROM "VersionLesson" WHERE "versionId" = $1 ORDER BY "position"`, [c.versionId]);
    const questions = await w.query<{ id: number; choices: string }>(`SELECT "id", "choices" FROM "VersionQuestion" WHERE "versionId" = $1 ORDER BY "id"`, [c.versionId]);
    result.push({
      ...c,
      id: Number(c.id),
      versionId: Number(c.versionId),
      lessonIds: lessons.map((l) => Number(l.lessonId)),
      questions: questions.map((q) => ({ id: Number(q.id), choices: JSON.parse(q.choices) })),
    });
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Units and staff allocation (a pure function of the seed, so a resumed run agrees with itself)

type PlannedUnit = { code: string; kind: string; unitType: string; nameVi: string; nameEn: string; staff: number; positions: string[] };

function planProvince(p: OfficialProvince, staff: number, index: number): PlannedUnit[] {
  rand = mulberry32(seed * 1000 + index);
  // About 40% of a province's staff work in departments (teachers and health workers included),
  // the rest in communes; commune sizes vary by ±30%.
  const deptStaff = Math.round(staff * 0.4);
  const totalWeight = DEPARTMENTS.reduce((s, d) => s + d.weight, 0);
  const depts = DEPARTMENTS.map((d) => ({
    code: `${p.code}.${d.suffix}`,
    kind: "agency",
    unitType: d.suffix === "VP" || d.suffix === "TTHCC" ? "Cơ quan" : "Sở",
    nameVi: d.nameVi,
    nameEn: d.nameEn,
    staff: Math.max(8, Math.round((deptStaff * d.weight) / totalWeight)),
    positions: d.positions,
  }));
  const weights = p.wards.map(() => 0.7 + rand() * 0.6);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const communeStaff = staff - depts.reduce((s, d) => s + d.staff, 0);
  const communes = p.wards.map((w, i) => ({
    code: w.code,
    kind: "commune",
    unitType: w.unitType ?? "",
    nameVi: w.fullName,
    nameEn: w.nameEn,
    staff: Math.max(5, Math.round((communeStaff * weights[i]) / wsum)),
    positions: [] as string[],
  }));
  // Rounding drift goes to the largest commune so the total is exact.
  const drift = staff - [...depts, ...communes].reduce((s, u) => s + u.staff, 0);
  if (communes.length) communes.reduce((a, b) => (b.staff > a.staff ? b : a)).staff += drift;
  else depts[6].staff += drift;
  return [...depts, ...communes];
}

function headcountFor(staff: number) {
  // Approved quotas are usually a little above the people actually in post.
  return Math.ceil(staff * (1 + rand() * 0.12));
}

// ---------------------------------------------------------------------------------------------
// One province: its units, people, enrolments, progress, attempts and certificates

type ProvinceStats = { staff: number; enrollments: number; completions: number; attempts: number; certificates: number };

async function generateProvince(
  w: Writer,
  p: OfficialProvince,
  index: number,
  staff: number,
  courses: CourseInfo[],
  passwordHash: string,
): Promise<ProvinceStats> {
  const plan = planProvince(p, staff, index);
  const stats: ProvinceStats = { staff: 0, enrollments: 0, completions: 0, attempts: 0, certificates: 0 };
  const now = new Date(NOW);
  let unitId = (await w.maxId("OrgUnit")) + 1;
  let userId = (await w.maxId("User")) + 1;
  let enrollmentId = (await w.maxId("Enrollment")) + 1;
  let attemptId = (await w.maxId("QuizAttempt")) + 1;
  let assignmentId = (await w.maxId("TrainingAssignment")) + 1;

  const provinceId = unitId++;
  const provincePath = `/${p.code}/`;
  await w.insert(T.orgUnit, [provinceId, p.code, "province", p.unitType ?? "", p.fullName, p.nameEn, null, provincePath, 0, 0, true, now, now]);
  const unitIds: number[] = [];
  for (const u of plan) {
    const id = unitId++;
    unitIds.push(id);
    await w.insert(T.orgUnit, [id, u.code, u.kind, u.unitType, u.nameVi, u.nameEn, provinceId, `${provincePath}${u.code}/`, 1, headcountFor(u.staff), true, now, now]);
  }

  // Two mandatory trainings per province: e-government (due next month) and security (overdue).
  const egov = courses.find((c) => c.slug === "dich-vu-cong-truc-tuyen") ?? courses[0];
  const security = courses.find((c) => c.slug === "an-toan-thong-tin") ?? courses[1 % courses.length];
  const assigned = new Map<number, { id: number; dueAt: Date }>();
  for (const [course, due] of [[egov, NOW + 30 * DAY], [security, NOW - 20 * DAY]] as const) {
    const id = assignmentId++;
    const dueAt = new Date(due);
    await w.insert(T.assignment, [id, course.id, provinceId, "", dueAt, "none", 7, true, new Date(NOW - 90 * DAY)]);
    assigned.set(course.id, { id, dueAt });
  }

  const issuer = `Sở Nội vụ ${p.fullName}`;
  const emailDomain = national ? "kynangso.gov.vn" : "laocai.gov.vn";
  let n = 0;
  for (const [ui, u] of plan.entries()) {
    for (let k = 0; k < u.staff; k++) {
      n++;
      const female = rand() < 0.55;
      const fullName = `${pick(SURNAMES)} ${pick(female ? MIDDLE_F : MIDDLE_M)} ${pick(female ? GIVEN_F : GIVEN_M)}`;
      const position =
        u.kind === "commune"
          ? k < COMMUNE_LEADERS.length
            ? COMMUNE_LEADERS[k]
            : pick(COMMUNE_POSITIONS)
          : k < DEPT_POSITIONS.length
            ? DEPT_POSITIONS[k]
            : u.positions.length && rand() < 0.7
              ? pick(u.positions)
              : pick(OFFICE_POSITIONS);
      const id = userId++;
      const seq = String(n).padStart(7, "0");
      const created = new Date(NOW - int(200, 400) * DAY);
      const birth = new Date(Date.UTC(int(1966, 2002), int(0, 11), int(1, 28)));
      await w.insert(T.user, [id, `cb${p.code}.${seq}@${emailDomain}`, fullName, null, `${p.code}-${seq}`, position, birth, unitIds[ui], rand() > 0.01, n % 5 < 3 ? created : null, created, created]);
      stats.staff++;

      if (rand() >= 0.6) continue;
      const count = rand() < 0.5 ? 1 : rand() < 0.6 ? 2 : 3;
      const chosen = shuffled(courses).slice(0, count);
      for (const c of chosen) {
        const eid = enrollmentId++;
        const assignment = assigned.get(c.id);
        const origin = assignment && rand() < 0.8 ? "assigned" : "self";
        const createdAt = new Date(NOW - int(3, 150) * DAY - int(0, DAY));
        const dueAt = origin === "assigned" ? assignment!.dueAt : null;
        // Progress: 20% not started, 30% part-way, 50% read every lesson (most then sit the quiz).
        const r = rand();
        const lessons = c.lessonIds;
        const done = r < 0.2 ? 0 : r < 0.5 ? int(1, lessons.length - 1) : lessons.length;
        let t = createdAt.getTime();
        const span = Math.max(DAY, NOW - t);
        const completions: [number, Date][] = [];
        for (let li = 0; li < done; li++) {
          t += Math.floor((rand() * span) / (lessons.length + 3));
          completions.push([lessons[li], new Date(Math.min(t, NOW - 60_000))]);
        }
        type Attempt = { id: number; number: number; started: Date; submitted: Date; correct: number; passed: boolean };
        const attempts: Attempt[] = [];
        if (done === lessons.length && rand() < 0.85) {
          const fails = rand() < 0.6 ? 0 : rand() < 0.75 ? 1 : 2;
          const finalPass = rand() < 0.9;
          const total = fails + (finalPass ? 1 : 0);
          for (let a = 0; a < total; a++) {
            const passed = finalPass && a === total - 1;
            t += Math.floor((rand() * span) / 20) + 60_000;
            const started = new Date(Math.min(t, NOW - 30 * 60_000));
            const submitted = new Date(started.getTime() + int(4, 25) * 60_000);
            attempts.push({ id: attemptId++, number: a + 1, started, submitted, correct: passed ? int(8, 10) : int(3, 7), passed });
          }
        }
        const passedAttempt = attempts.find((a) => a.passed);
        const completedAt = passedAttempt ? passedAttempt.submitted : null;
        const lastLessonId = done ? lessons[done - 1] : null;
        await w.insert(T.enrollment, [eid, id, c.id, 1, origin, origin === "assigned" ? assignment!.id : null, dueAt, createdAt, completedAt, lastLessonId]);
        stats.enrollments++;
        for (const [lessonId, at] of completions) await w.insert(T.completion, [eid, lessonId, at]);
        stats.completions += completions.length;
        for (const a of attempts) {
          const size = Math.min(10, c.questions.length);
          const score = Math.round((100 * a.correct) / size);
          await w.insert(T.attempt, [a.id, eid, c.versionId, a.number, "submitted", a.started, a.submitted, size, a.correct, score, a.passed]);
          const drawn = shuffled(c.questions).slice(0, size);
          const rightPositions = new Set(shuffled(drawn.map((_, i) => i)).slice(0, a.correct));
          for (const [qi, q] of drawn.entries()) {
            const order = shuffled(q.choices.map((ch) => ch.id));
            const right = rightPositions.has(qi);
            const key = q.choices.filter((ch) => ch.correct).map((ch) => ch.id).sort();
            const wrong = q.choices.filter((ch) => !ch.correct).map((ch) => ch.id);
            const answer = right ? key : [wrong.length ? pick(wrong) : key[0]];
            await w.insert(T.attemptQuestion, [a.id, qi + 1, q.id, JSON.stringify(order), JSON.stringify(answer), right]);
          }
        }
        stats.attempts += attempts.length;
        if (completedAt) {
          const revoked = rand() < 0.01;
          const expires = c.validityMonths ? new Date(completedAt.getTime() + c.validityMonths * 30.44 * DAY) : null;
          await w.insert(T.certificate, [
            codeFromBytes(crypto.randomBytes(20)),
            eid,
            id,
            c.id,
            unitIds[ui],
            fullName,
            position,
            u.kind === "commune" ? `Ủy ban nhân dân ${u.nameVi}` : u.nameVi,
            c.title,
            issuer,
            completedAt,
            new Date(completedAt.getTime() + 1000),
            expires,
            revoked ? "revoked" : "valid",
            revoked ? new Date(NOW - int(1, 30) * DAY) : null,
            revoked ? "Cấp nhầm người học" : null,
          ]);
          stats.certificates++;
        }
      }
    }
  }

  // Working accounts for the province (password: the demo password), created last: their
  // presence marks the province as finished for a resumed run.
  const snv = unitIds[plan.findIndex((u) => u.code === `${p.code}.SNV`)];
  for (const [role, fullName] of [["trainer", "Trần Minh Đức"], ["admin", "Phạm Quang Huy"], ["hr", "Lê Thu Hà"]] as const) {
    const id = userId++;
    const local = role === "hr" ? "nhansu" : role === "admin" ? "quantri" : "giangvien";
    await w.insert(T.user, [id, `${local}.${p.code}@kynangso.vn`, fullName, passwordHash, `${p.code}-${local}`, "Chuyên viên chính", null, snv, true, now, now, now]);
    await w.insert(T.role, [id, role, provinceId, now]);
  }
  return stats;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const units = JSON.parse(fs.readFileSync(unitsFile, "utf8")) as OfficialProvince[];
  const provinces = national ? units : units.slice(0, 1);
  log(`${national ? "national" : "province"} data: ${provinces.length} province(s), ${provinces.reduce((s, p) => s + p.wards.length, 0)} communes, ${staffTotal.toLocaleString("en")} staff → ${isPostgres ? databaseUrl.replace(/\/\/[^@]*@/, "//…@") : databaseUrl}`);

  if (isPostgres) await ensurePostgresDatabase(databaseUrl);
  else fs.mkdirSync(path.dirname(path.resolve(databaseUrl.replace(/^file:/, ""))), { recursive: true });
  migrate();
  log("schema migrated");
  await loadCourses();

  const w = isPostgres ? await postgresWriter(databaseUrl) : sqliteWriter(databaseUrl.replace(/^file:/, ""));
  const courses = await readCourses(w);
  log(`${courses.length} published courses`);

  // Another province's people in the database means this is not a generated database.
  const foreign = await w.query<{ n: number }>(
    `SELECT COUNT(*) AS n FROM "User" WHERE "email" NOT LIKE 'cb%.%@%.gov.vn'
       AND "email" NOT LIKE 'nhansu.%@kynangso.vn' AND "email" NOT LIKE 'quantri.%@kynangso.vn' AND "email" NOT LIKE 'giangvien.%@kynangso.vn'`,
  );
  if (Number(foreign[0].n) > 0) throw new Error("the database already holds other users: generate into an empty database");

  const passwordHash = await hash(DEMO_PASSWORD, { memoryCost: 19456, timeCost: 2, parallelism: 1 });
  const weights = provinces.map((p) => p.wards.length + 40);
  const wsum = weights.reduce((a, b) => a + b, 0);
  const totals: ProvinceStats = { staff: 0, enrollments: 0, completions: 0, attempts: 0, certificates: 0 };
  for (const [i, p] of provinces.entries()) {
    const done = await w.query(`SELECT 1 FROM "User" WHERE "email" = $1`, [`nhansu.${p.code}@kynangso.vn`]);
    if (done.length) {
      log(`${p.fullName}: already generated, skipped`);
      continue;
    }
    const staff = national ? Math.round((staffTotal * weights[i]) / wsum) : staffTotal;
    const before = performance.now();
    const rowsBefore = w.rows;
    let stats!: ProvinceStats;
    await w.transaction(async () => {
      stats = await generateProvince(w, p, i, staff, courses, passwordHash);
    });
    for (const k of Object.keys(totals) as (keyof ProvinceStats)[]) totals[k] += stats[k];
    const secs = (performance.now() - before) / 1000;
    log(
      `${p.fullName}: ${stats.staff.toLocaleString("en")} staff, ${stats.enrollments.toLocaleString("en")} enrolments, ${stats.completions.toLocaleString("en")} lesson completions, ${stats.attempts.toLocaleString("en")} attempts, ${stats.certificates.toLocaleString("en")} certificates — ${(w.rows - rowsBefore).toLocaleString("en")} rows in ${secs.toFixed(1)} s (${Math.round((w.rows - rowsBefore) / secs).toLocaleString("en")} rows/s)`,
    );
  }
  await w.finish();
  log(
    `done: ${totals.staff.toLocaleString("en")} staff, ${totals.enrollments.toLocaleString("en")} enrolments, ${totals.completions.toLocaleString("en")} completions, ${totals.attempts.toLocaleString("en")} attempts, ${totals.certificates.toLocaleString("en")} certificates, ${w.rows.toLocaleString("en")} rows written in ${elapsed()}`,
  );
}

await main();
