// Command line of Kỹ Năng Số: `npm run kns -- <command> [arguments]`.
import fs from "node:fs";
import { backupDatabase, restoreDatabase } from "~/services/backup.server";
import { env } from "~/services/env.server";
import { importOfficialUnits, UnitImportError } from "~/services/org-units.server";

const USAGE = `Cách dùng / usage: npm run kns -- <lệnh>
  import-units <file.json>   nhập danh mục tỉnh và xã/phường (định dạng trong README)
  backup <file>              sao lưu cơ sở dữ liệu trong khi ứng dụng vẫn chạy
  restore <file>             khôi phục từ bản sao lưu (dừng ứng dụng trước)
  content-check [dir]        kiểm tra nội dung khoá học (mặc định content/)
  content-sync [dir]         nạp nội dung khoá học vào cơ sở dữ liệu và xuất bản khi có thay đổi
  demo-data                  nạp dữ liệu mẫu (chỉ dùng để dùng thử)`;

async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  switch (command) {
    case "import-units": {
      const file = args[0];
      if (!file) return fail("thiếu đường dẫn tệp / missing file path");
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
          return fail(`tệp không hợp lệ, không có gì được nhập / invalid file, nothing imported:\n${e.problems.map((p) => `  ${p}`).join("\n")}`);
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
      const { checkContent } = await import("~/services/content.server");
      const { courses, problems } = checkContent(args[0] ?? "content");
      for (const p of problems) console.error(`${p.file}:${p.line}:${p.column}: ${p.message}`);
      if (problems.length) return 1;
      console.log(`Nội dung hợp lệ: ${courses.length} khoá học, ${courses.reduce((n, c) => n + c.lessons.length, 0)} bài giảng, ${courses.reduce((n, c) => n + c.questions.length, 0)} câu hỏi.`);
      return 0;
    }
    case "content-sync": {
      const { syncContent } = await import("~/services/content.server");
      const { summary, problems } = await syncContent(args[0] ?? "content");
      for (const p of problems) console.error(`${p.file}:${p.line}:${p.column}: ${p.message}`);
      for (const s of summary) {
        console.log(`${s.slug}: ${s.lessonsCompiled} bài được biên dịch, ${s.published ? `xuất bản phiên bản ${s.published}` : "không có thay đổi để xuất bản"}`);
      }
      return problems.length ? 1 : 0;
    }
    case "demo-data": {
      const { loadDemoData } = await import("~/services/demo.server");
      await loadDemoData((line) => console.log(line));
      return 0;
    }
    default:
      console.error(USAGE);
      return command ? 2 : 0;
  }
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
