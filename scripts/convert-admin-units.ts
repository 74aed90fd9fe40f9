// Converts a published list of Viet Nam's administrative units into the file the project ships
// (prisma/official-units/vn-admin-units.json), which `npm run kns -- import-units` imports when no
// file is given. Run it again when a decree changes the list:
//
//   npx tsx scripts/convert-admin-units.ts <source.json> [source.LICENSE]
//
// The source is the public dataset's format (provinces with their wards, each with code, name,
// nameEn, fullName, unitType). The output keeps that format (the README documents it), sorted
// by code, one unit per line so that a change in the list reads as a short diff. The dataset's
// licence notice is copied beside it, as its MIT licence requires.
import fs from "node:fs";
import path from "node:path";

const OUT_DIR = "prisma/official-units";
const FIELDS = ["code", "name", "nameEn", "fullName", "unitType"] as const;
type Unit = Record<(typeof FIELDS)[number], string>;
type Province = Unit & { wards: Unit[] };

function unitOf(raw: unknown, where: string, codeLength: number): Unit {
  const r = raw as Record<string, unknown>;
  for (const f of FIELDS) {
    if (typeof r?.[f] !== "string" || !(r[f] as string).trim()) throw new Error(`${where}: "${f}" is missing or empty`);
  }
  const unit = Object.fromEntries(FIELDS.map((f) => [f, (r[f] as string).normalize("NFC").trim()])) as Unit;
  if (!new RegExp(`^\\d{${codeLength}}$`).test(unit.code)) throw new Error(`${where}: code "${unit.code}" is not ${codeLength} digits`);
  return unit;
}

function convert(source: unknown): Province[] {
  if (!Array.isArray(source)) throw new Error("the source is not a JSON array of provinces");
  const seen = new Set<string>();
  const provinces = source.map((p, i) => {
    const province = unitOf(p, `province #${i + 1}`, 2);
    const wards = (p as { wards?: unknown }).wards;
    if (!Array.isArray(wards) || wards.length === 0) throw new Error(`province ${province.code}: no wards`);
    const units = wards.map((w, j) => unitOf(w, `province ${province.code}, ward #${j + 1}`, 5));
    for (const u of [province, ...units]) {
      if (seen.has(u.code)) throw new Error(`code ${u.code} appears twice`);
      seen.add(u.code);
    }
    return { ...province, wards: units.sort((a, b) => a.code.localeCompare(b.code)) };
  });
  return provinces.sort((a, b) => a.code.localeCompare(b.code));
}

function write(provinces: Province[]): string {
  const line = (u: Unit) => JSON.stringify(Object.fromEntries(FIELDS.map((f) => [f, u[f]])));
  const body = provinces.map((p) => `${line(p).slice(0, -1)},"wards":[\n  ${p.wards.map(line).join(",\n  ")}\n]}`).join(",\n");
  return `[\n${body}\n]\n`;
}

const [sourceFile, licenceFile] = process.argv.slice(2);
if (!sourceFile) {
  console.error("usage: npx tsx scripts/convert-admin-units.ts <source.json> [source.LICENSE]");
  process.exit(2);
}
const provinces = convert(JSON.parse(fs.readFileSync(sourceFile, "utf8")));
fs.mkdirSync(OUT_DIR, { recursive: true });
fs.writeFileSync(path.join(OUT_DIR, "vn-admin-units.json"), write(provinces));
const licence = licenceFile ?? sourceFile.replace(/\.json$/, ".LICENSE");
if (fs.existsSync(licence)) {
  fs.copyFileSync(licence, path.join(OUT_DIR, "LICENSE"));
  fs.chmodSync(path.join(OUT_DIR, "LICENSE"), 0o644);
}
const communes = provinces.reduce((n, p) => n + p.wards.length, 0);
console.log(`${provinces.length} provinces and ${communes} communes, wards and special zones written to ${OUT_DIR}/vn-admin-units.json`);
