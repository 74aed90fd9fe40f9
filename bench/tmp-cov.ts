export {};
process.env.DATABASE_URL = process.argv[2];
const { db } = await import("~/services/db.server");
const { coverageByOrgUnit } = await import("~/services/coverage.server");
const p = await db.orgUnit.findUniqueOrThrow({ where: { code: "15" } });
for (let i = 0; i < 4; i++) {
  const t = performance.now();
  const r = await coverageByOrgUnit(p, { courseId: null, category: null, from: null, to: null });
  console.log(Math.round(performance.now() - t), "ms", r.rows.length, r.total.staff, r.total.enrolled, r.total.completed, r.total.validCertificates);
}
await db.$disconnect();
