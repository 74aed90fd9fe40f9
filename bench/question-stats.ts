// The question statistics of the busiest course of a province, at a multiple of its attempts:
// the attempts of the busiest version are copied `--copies` times (new attempt numbers and ids,
// same answers), then the page's computation (quizStats: every attempt, then first attempts
// only) and the CSV table are timed, five runs each. It writes to the database it is given: run
// it on a copy.
// usage: DATABASE_URL=file:… npx tsx bench/question-stats.ts [--copies 20]   (prints one JSON line)
import { performance } from "node:perf_hooks";

const i = process.argv.indexOf("--copies");
const copies = i >= 0 ? Number(process.argv[i + 1]) : 20;
const { db } = await import("~/platform/db.server");
const { quizStats, questionTable } = await import("~/learning/question-stats.server");
const { getT } = await import("~/utils/i18n");
await import("~/locales/question-stats");

const round = (x: number) => Math.round(x * 10) / 10;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function timed(work: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await work();
  return round(performance.now() - t);
}

const [busiest] = await db.quizAttempt.groupBy({ by: ["versionId"], _count: { _all: true }, orderBy: { _count: { versionId: "desc" } }, take: 1 });
const versionId = busiest.versionId;
const version = await db.courseVersion.findUniqueOrThrow({ where: { id: versionId }, select: { courseId: true } });
const maxId = (await db.quizAttempt.aggregate({ _max: { id: true } }))._max.id ?? 0;
const maxNumber = (await db.quizAttempt.aggregate({ _max: { number: true }, where: { versionId } }))._max.number ?? 0;
const offset = Math.pow(10, String(maxId).length);
for (let k = 1; k <= copies; k++) {
  // Same enrolments, later attempt numbers: a copy is a new graded attempt of the same people.
  await db.$executeRaw`
    INSERT INTO "QuizAttempt" ("id", "enrollmentId", "versionId", "number", "status", "startedAt", "submittedAt", "questionCount", "correctCount", "score", "passed")
    SELECT "id" + ${k * offset}, "enrollmentId", "versionId", "number" + ${k * maxNumber}, "status", "startedAt", "submittedAt", "questionCount", "correctCount", "score", "passed"
    FROM "QuizAttempt" WHERE "versionId" = ${versionId} AND "id" < ${offset}`;
  await db.$executeRaw`
    INSERT INTO "AttemptQuestion" ("attemptId", "position", "questionId", "choiceOrder", "answer", "correct")
    SELECT q."attemptId" + ${k * offset}, q."position", q."questionId", q."choiceOrder", q."answer", q."correct"
    FROM "AttemptQuestion" q JOIN "QuizAttempt" a ON a."id" = q."attemptId" WHERE a."versionId" = ${versionId} AND a."id" < ${offset}`;
}
const attempts = await db.quizAttempt.count({ where: { versionId, status: "submitted" } });
const attemptQuestions = await db.attemptQuestion.count({ where: { attempt: { versionId } } });
const scope = { courseId: version.courseId, paths: ["/"], lang: "vi" as const };
const all: number[] = [];
const first: number[] = [];
const csv: number[] = [];
for (let run = 0; run < 5; run++) {
  all.push(await timed(() => quizStats(scope, String(versionId), "all")));
  first.push(await timed(() => quizStats(scope, String(versionId), "first")));
  csv.push(await timed(async () => questionTable(await quizStats(scope, String(versionId), "all"), getT("vi"))));
}
await db.$disconnect();
console.log(JSON.stringify({ attempts, attemptQuestions, medianMs: { all: median(all), first: median(first), csv: median(csv) }, runsMs: { all, first, csv } }));
process.exit(0);
