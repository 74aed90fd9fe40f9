// How each question of a published course version performs, for its trainer: facility and
// discrimination index as Moodle's quiz statistics define them, how often each choice was
// picked, the score distribution and the pass rate per unit. The database sums; this module
// turns sums into figures. No learner is named anywhere in the result.
import {
  answerSums,
  courseUnit,
  passesByUnit,
  scoreBands,
  unitsAt,
  versionQuestions,
  versionsOf,
  type AttemptSet,
  type QuestionSums,
} from "~/learning/question-stats.data.server";
import { notFound, positiveId } from "~/platform/request.server";
import type { Choice } from "~/utils/course";
import type { Lang } from "~/utils/i18n";
import { TOO_EASY_AT_LEAST, TOO_HARD_AT_MOST, type QuestionFlag } from "~/utils/question-stats";

export type { AttemptSet };

/**
 * Moodle's discrimination index: the correlation, in percent, between the question's mark and
 * the mark on the rest of the test, over the attempts the question appeared in. "The rest" and
 * not the whole test, so the question does not correlate with itself. Null when either side
 * never varies (everyone right, everyone wrong, or a single attempt): the index is undefined.
 */
export function discriminationIndex({ n, sx, sy, sxy, syy }: QuestionSums): number | null {
  const covariance = n * sxy - sx * sy;
  const varianceX = n * sx - sx * sx; // x is 0 or 1, so Σx² = Σx
  const varianceY = n * syy - sy * sy;
  if (n < 2 || varianceX <= 0 || varianceY <= 0) return null;
  return (100 * covariance) / Math.sqrt(varianceX * varianceY);
}

export function flagsOf(facility: number | null, discrimination: number | null): QuestionFlag[] {
  const flags: QuestionFlag[] = [];
  if (facility !== null && facility >= TOO_EASY_AT_LEAST) flags.push("tooEasy");
  if (facility !== null && facility <= TOO_HARD_AT_MOST) flags.push("tooHard");
  if (discrimination !== null && discrimination < 0) flags.push("negative");
  return flags;
}

export type ChoiceStat = { id: string; text: string; correct: boolean; picked: number };
export type QuestionStat = {
  key: string;
  type: string;
  prompt: string;
  attempts: number;
  right: number;
  /** Percent right, null when the question was never drawn. */
  facility: number | null;
  discrimination: number | null;
  choices: ChoiceStat[];
  unanswered: number;
  flags: QuestionFlag[];
};
export type UnitRow = { code: string | null; name: string | null; learners: number; passed: number };
export type QuizStats = {
  versions: { id: number; number: number; publishedAt: Date; current: boolean }[];
  version: { id: number; number: number } | null;
  set: AttemptSet;
  attempts: number;
  passedAttempts: number;
  averageScore: number | null;
  /** Ten bands of ten points; the last holds 90 to 100. */
  bands: number[];
  questions: QuestionStat[];
  units: UnitRow[];
};

type Scope = { courseId: number; paths: string[]; lang: Lang };

/**
 * The statistics of one version of the course: the one asked for (its id must be one of this
 * course's versions, else 404), or the published one by default.
 */
export async function quizStats({ courseId, paths, lang }: Scope, versionParam: string | null, set: AttemptSet): Promise<QuizStats> {
  const [versions, course] = await Promise.all([versionsOf(courseId), courseUnit(courseId)]);
  const wanted = versionParam === null || versionParam === "" ? (course?.publishedVersionId ?? null) : positiveId(versionParam);
  if (versionParam && wanted === null) throw notFound();
  const version = versions.find((v) => v.id === wanted) ?? null;
  if (versionParam && !version) throw notFound();
  const listed = versions.map((v) => ({ ...v, current: v.id === course?.publishedVersionId }));
  if (!version) return { versions: listed, version: null, set, attempts: 0, passedAttempts: 0, averageScore: null, bands: Array(10).fill(0), questions: [], units: [] };

  const [bank, answers, bandRows, unitRows] = await Promise.all([
    versionQuestions(version.id),
    answerSums(version.id, set),
    scoreBands(version.id, set),
    passesByUnit(version.id),
  ]);

  const bands = Array<number>(10).fill(0);
  let attempts = 0;
  let passedAttempts = 0;
  let scoreSum = 0;
  for (const row of bandRows) {
    bands[row.band] += row.attempts;
    attempts += row.attempts;
    passedAttempts += row.passed;
    scoreSum += row.scoreSum;
  }
  const averageScore = attempts ? scoreSum / attempts : null;

  const sumsOf = new Map<number, QuestionSums>();
  const picks = new Map<number, { byChoice: Map<string, number>; unanswered: number }>();
  for (const row of answers) {
    const sums = sumsOf.get(row.questionId) ?? { n: 0, sx: 0, sy: 0, sxy: 0, syy: 0 };
    sums.n += row.n;
    sums.sx += row.sx;
    sums.sy += row.sy;
    sums.sxy += row.sxy;
    sums.syy += row.syy;
    sumsOf.set(row.questionId, sums);
    const entry = picks.get(row.questionId) ?? { byChoice: new Map(), unanswered: 0 };
    const chosen = row.answer ? (JSON.parse(row.answer) as string[]) : [];
    if (!chosen.length) entry.unanswered += row.n;
    for (const id of chosen) entry.byChoice.set(id, (entry.byChoice.get(id) ?? 0) + row.n);
    picks.set(row.questionId, entry);
  }

  const questions = bank.map((q): QuestionStat => {
    const s = sumsOf.get(q.id);
    const n = s?.n ?? 0;
    const facility = s && n ? (100 * s.sx) / n : null;
    const discrimination = s ? discriminationIndex(s) : null;
    const picked = picks.get(q.id);
    return {
      key: q.key,
      type: q.type,
      prompt: q.prompt,
      attempts: n,
      right: s?.sx ?? 0,
      facility,
      discrimination,
      choices: (JSON.parse(q.choices) as Choice[]).map((c) => ({ id: c.id, text: c.text, correct: c.correct, picked: picked?.byChoice.get(c.id) ?? 0 })),
      unanswered: picked?.unanswered ?? 0,
      flags: flagsOf(facility, discrimination),
    };
  });

  return {
    versions: listed,
    version: { id: version.id, number: version.number },
    set,
    attempts,
    passedAttempts,
    averageScore,
    bands,
    questions,
    units: await unitTable(unitRows, course?.unit ?? null, paths, lang),
  };
}

/**
 * Pass rates per unit one level below the course's own unit (below the province for the
 * deployment's courses): readable rows, not one per commune office. Learners in units outside
 * the trainer's scope are summed in one row without a name (code null).
 */
async function unitTable(rows: Awaited<ReturnType<typeof passesByUnit>>, owner: { depth: number } | null, paths: string[], lang: Lang): Promise<UnitRow[]> {
  const rowDepth = owner ? owner.depth + 1 : 1;
  const groups = new Map<string, { learners: number; passed: number }>();
  const outside = { learners: 0, passed: 0 };
  for (const row of rows) {
    const target = paths.some((p) => row.path.startsWith(p)) ? groups : null;
    if (!target) {
      outside.learners += row.learners;
      outside.passed += row.passed;
      continue;
    }
    const segments = row.path.split("/").filter(Boolean);
    const key = `/${segments.slice(0, Math.min(segments.length, rowDepth + 1)).join("/")}/`;
    const group = target.get(key) ?? { learners: 0, passed: 0 };
    group.learners += row.learners;
    group.passed += row.passed;
    target.set(key, group);
  }
  const names = new Map((await unitsAt([...groups.keys()])).map((u) => [u.path, u]));
  const table: UnitRow[] = [...groups.entries()].map(([path, g]) => {
    const unit = names.get(path);
    return { code: unit?.code ?? path, name: unit ? (lang === "en" ? unit.nameEn : unit.nameVi) : null, ...g };
  });
  table.sort((a, b) => (a.name ?? "").localeCompare(b.name ?? "", lang) || (a.code ?? "").localeCompare(b.code ?? ""));
  if (outside.learners) table.push({ code: null, name: null, ...outside });
  return table;
}

// Numbers, not text: a negative index written as text would be taken for a formula and prefixed.
const pct = (value: number | null) => (value === null ? "" : Math.round(value * 10) / 10);

/** The question table as CSV rows: one row per question, picks as "choice text: count". */
export function questionTable(stats: QuizStats, t: (key: string, values?: Record<string, unknown>) => string) {
  const headers = [
    t("questionStats.csv.key"),
    t("questionStats.csv.prompt"),
    t("questionStats.csv.attempts"),
    t("questionStats.csv.facility"),
    t("questionStats.csv.discrimination"),
    t("questionStats.csv.flags"),
    t("questionStats.csv.choices"),
    t("questionStats.csv.unanswered"),
  ];
  const rows = stats.questions.map((q) => [
    q.key,
    q.prompt,
    q.attempts,
    pct(q.facility),
    pct(q.discrimination),
    q.flags.map((f) => t(`questionStats.flags.${f}`)).join("; "),
    q.choices.map((c) => `${c.correct ? "✓ " : ""}${c.text}: ${c.picked}`).join(" | "),
    q.unanswered,
  ]);
  return { headers, rows };
}
