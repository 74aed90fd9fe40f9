// A course's version history as trainers act on it: comparing any two states, rolling back to
// an earlier version (published as the next version, history never rewritten), withdrawing a
// course from the catalogue and bringing it back, and, when the deployment requires it
// (COURSE_REVIEW=required), publishing only after another editor of the course approved.
// Messages returned to pages are translation keys.
import type { CourseEditing } from "~/content/authoring-access.server";
import { getDraftForPublishing } from "~/content/content-sync.data.server";
import { draftFingerprint, publishCourse, versionContent, VERSIONED_SETTINGS, type PublishResult } from "~/content/content-sync.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import { compileLesson } from "~/content/mdx-sandbox.server";
import { compareCourses, type Comparable, type Comparison } from "~/content/version-compare.server";
import {
  claimRequest,
  draftLessonBodies,
  findOpenRequest,
  findRequest,
  finishApproval,
  getVersionContent,
  getVersionHistory,
  insertPublishRequest,
  introSourceByHtml,
  learnersInProgress,
  markRepublished,
  markUnpublished,
  releaseStuckApprovals,
  restoreDraft,
  sourcesByHash,
  type RestoredLesson,
} from "~/content/versions.data.server";
import { audit } from "~/platform/audit.server";
import { env, publicOrigin } from "~/platform/env.server";
import { queueMail, type Mail } from "~/platform/mail.server";
import { notFound } from "~/platform/request.server";
import { getT, isLang, type Lang } from "~/utils/i18n";
import "~/locales/versions";

export const reviewRequired = () => env.COURSE_REVIEW === "required";

const isUniqueViolation = (error: unknown) => (error as { code?: string } | null)?.code === "P2002";

/** "draft", or a version number as a positive integer; anything else is null. */
export function parseSide(value: string | null): "draft" | number | null {
  if (value === "draft") return "draft";
  if (!value || !/^\d{1,9}$/.test(value)) return null;
  const n = Number(value);
  return n > 0 ? n : null;
}

// ---------------------------------------------------------------------------------------
// History and comparison

export async function versionHistory(courseId: number) {
  const { course, names } = await getVersionHistory(courseId);
  const draft = await getDraftForPublishing(courseId);
  const fingerprint = draftFingerprint(draft);
  const name = (id: number | null) => (id ? (names.get(id) ?? null) : null);
  return {
    published: course.publishedVersion?.number ?? null,
    unpublishedAt: course.unpublishedAt,
    versions: course.versions.map((v) => ({ number: v.number, publishedAt: v.publishedAt, publishedBy: name(v.publishedById), restores: v.restoresNumber })),
    requests: course.publishRequests.map((r) => ({
      id: r.id,
      requestedAt: r.requestedAt,
      requestedById: r.requestedById,
      requestedBy: name(r.requestedById),
      note: r.note,
      status: r.status,
      decidedBy: name(r.decidedById),
      decidedAt: r.decidedAt,
      comment: r.comment,
      versionNumber: r.versionNumber,
      // An open request whose draft has changed since can no longer be approved.
      stale: r.status === "pending" && r.fingerprint !== fingerprint,
    })),
  };
}

async function comparable(courseId: number, side: "draft" | number): Promise<Comparable | null> {
  if (side === "draft") {
    const d = await getDraftForPublishing(courseId);
    // The draft's introduction is not rendered until publishing: it compares by source.
    return { ...d, introHtml: "", lessons: d.lessons.map((l) => ({ ...l, source: l.source })) };
  }
  const v = await getVersionContent(courseId, side);
  if (!v) return null;
  // An introduction source not kept with an older version may be kept by one that rendered the same.
  const intro = v.intro ?? (v.introHtml === "" ? "" : await introSourceByHtml(courseId, v.introHtml));
  return { ...v, intro, lessons: v.lessons.map((l) => ({ ...l, id: l.lessonId })) };
}

/** What changed from `from` to `to`; null when either side does not exist. */
export async function compareSides(courseId: number, from: "draft" | number, to: "draft" | number): Promise<Comparison | null> {
  const [a, b] = await Promise.all([comparable(courseId, from), comparable(courseId, to)]);
  if (!a || !b) return null;
  return compareCourses(a, b);
}

// ---------------------------------------------------------------------------------------
// Rollback

export type RollbackResult =
  | { ok: true; number: number | null; review: boolean; created: boolean }
  | { ok: false; error: string; params?: Record<string, string | number> };

/**
 * Restores version `number` into the draft and publishes it as the next version (or asks for a
 * review of it when reviews are required). `expected` is the version the trainer saw published:
 * when another publish or rollback got there first, nothing happens.
 */
export async function rollback(editing: CourseEditing, number: number, expected: number | null): Promise<RollbackResult> {
  const result = await restoreVersion(editing, number, expected);
  if (!result.ok) {
    const { user, ip, course } = editing;
    await audit({ action: "course.rollback", outcome: "failed", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { restores: number, error: result.error } });
  }
  return result;
}

async function restoreVersion({ user, ip, course }: CourseEditing, number: number, expected: number | null): Promise<RollbackResult> {
  const draft = await getDraftForPublishing(course.id);
  const current = draft.publishedVersion;
  const target = await getVersionContent(course.id, number);
  if (!target) throw notFound();
  if (!current) return { ok: false, error: "versions.errors.stale" };
  if (current.number !== expected) return staleOrDone(course.id, number, current.number);
  if (number === current.number) return { ok: false, error: "versions.errors.alreadyCurrent", params: { number } };

  // Versions published before sources were kept: a source the course still holds under the same hash will do.
  const known = await sourcesByHash(course.id, target.lessons.filter((l) => l.source === null).map((l) => l.sourceHash));
  const missing = target.lessons.filter((l) => l.source === null && !known.has(l.sourceHash)).map((l) => l.title);
  let intro = target.intro;
  if (intro === null) intro = target.introHtml === "" ? "" : await introSourceByHtml(course.id, target.introHtml);
  if (intro === null && draft.intro) {
    const rendered = await compileLesson(draft.intro);
    if (rendered.ok && rendered.html === target.introHtml) intro = draft.intro;
  }
  if (intro === null) missing.unshift("—");
  if (intro === null || missing.length) return { ok: false, error: "versions.errors.sourceMissing", params: { lessons: missing.join(", ") } };

  // Bodies rendered by older components are rendered again, as publishing requires.
  const bodies = new Map((await draftLessonBodies(course.id)).map((b) => [b.id, b]));
  const lessons: RestoredLesson[] = [];
  for (const l of target.lessons) {
    const source = l.source ?? known.get(l.sourceHash)!;
    const body = bodies.get(l.lessonId);
    let html = body && body.sourceHash === l.sourceHash && body.rendererVersion === MDX_RENDERER_VERSION && body.html ? body.html : null;
    if (html === null) {
      const compiled = await compileLesson(source);
      if (!compiled.ok) return { ok: false, error: "versions.errors.compile", params: { lesson: l.title } };
      html = compiled.html;
    }
    lessons.push({ id: l.lessonId, slug: l.slug, title: l.title, titleEn: l.titleEn, minutes: l.minutes, source, sourceHash: l.sourceHash, html, rendererVersion: MDX_RENDERER_VERSION });
  }
  const introRendered = intro ? await compileLesson(intro) : null;
  if (introRendered && !introRendered.ok) return { ok: false, error: "versions.errors.compile", params: { lesson: "—" } };
  const settings = Object.fromEntries(VERSIONED_SETTINGS.map((k) => [k, target[k]]));
  const questions = target.questions.map((q) => ({ key: q.key, type: q.type, prompt: q.prompt, choices: q.choices, explanation: q.explanation, image: q.image, imageAlt: q.imageAlt }));
  const { content, contentHash } = versionContent({ ...target, intro, introHtml: introRendered?.ok ? introRendered.html : "", lessons, questions }, number);
  const review = reviewRequired();
  // Content identical to what learners have (an older version equal to the current one) restores the draft only.
  const publishing = !review && contentHash !== current.contentHash;

  let restored: { number: number | null } | null;
  try {
    restored = await restoreDraft(course.id, current.id, { settings, intro, lessons, questions }, publishing ? { publishedById: user.id, contentHash, content } : null);
  } catch (error) {
    // A publish took the next number at the same moment: that publish won.
    if (!isUniqueViolation(error)) throw error;
    restored = null;
  }
  if (!restored) {
    const now = await getDraftForPublishing(course.id);
    return staleOrDone(course.id, number, now.publishedVersion?.number ?? null);
  }
  await audit({ action: "course.rollback", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { restores: number, from: current.number, number: restored.number, review } });
  if (review) {
    const asked = await requestReview({ user, ip, course }, "");
    if (!asked.ok && asked.error !== "versions.errors.noChanges") return { ok: false, error: asked.error ?? "versions.errors.refused" };
  }
  return { ok: true, number: restored.number ?? current.number, review, created: restored.number !== null };
}

/** A rollback that found the course changed: done already when the published version now restores `number` (a double submit). */
async function staleOrDone(courseId: number, number: number, publishedNumber: number | null): Promise<RollbackResult> {
  if (publishedNumber !== null) {
    const { course } = await getVersionHistory(courseId);
    const published = course.versions.find((v) => v.number === publishedNumber);
    if (published?.restoresNumber === number) return { ok: true, number: publishedNumber, review: false, created: false };
  }
  return { ok: false, error: "versions.errors.stale" };
}

// ---------------------------------------------------------------------------------------
// Withdrawing from the catalogue

/**
 * Takes the course out of the catalogue: nobody new enrols. Those enrolled keep everything
 * (they may finish; certificates stay valid) and those still learning are told by e-mail.
 * A second withdrawal (a double submit) changes and sends nothing.
 */
export async function unpublish({ user, ip, course }: CourseEditing): Promise<{ ok: boolean; told: number }> {
  const now = new Date();
  if (!(await markUnpublished(course.id, now))) return { ok: false, told: 0 };
  const learners = await learnersInProgress(course.id);
  const mails = learners.map((e) => withdrawalMail(e.user, course));
  await queueMail(mails, now);
  await audit({ action: "course.unpublish", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { told: mails.length } });
  return { ok: true, told: mails.length };
}

function withdrawalMail(person: { email: string; fullName: string; locale: string | null }, course: { slug: string; title: string }): Mail {
  const lang: Lang = isLang(person.locale) ? person.locale : "vi";
  const t = getT(lang);
  const text = [
    t("versions.mail.greeting", { name: person.fullName }),
    "",
    t("versions.mail.body", { course: course.title }),
    "",
    t("versions.mail.link", { url: `${publicOrigin()}/courses/${course.slug}` }),
    "",
    t("app.name"),
  ].join("\n");
  return { to: person.email, subject: t("versions.mail.subject", { course: course.title }), text };
}

/** Brings a withdrawn course back: its published version (already approved once) returns to the catalogue. */
export async function republish({ user, ip, course }: CourseEditing): Promise<boolean> {
  if (!(await markRepublished(course.id))) return false;
  await audit({ action: "course.republish", actorId: user.id, targetType: "course", targetId: course.id, ip });
  return true;
}

// ---------------------------------------------------------------------------------------
// Review

export type ReviewResult = { ok: true; key: string; number?: number } | { ok: false; error?: string; problems?: string[] };

/**
 * Asks for the draft as it stands to be published. The request keeps the draft's fingerprint:
 * any later edit makes it unapprovable (the requester asks again), so a reviewer never approves
 * content they did not see. Asking twice for the same draft is one request.
 */
export async function requestReview({ user, ip, course }: CourseEditing, note: string): Promise<ReviewResult> {
  await releaseStuckApprovals(course.id, new Date(Date.now() - APPROVAL_LEASE_MS));
  const draft = await getDraftForPublishing(course.id);
  const fingerprint = draftFingerprint(draft);
  const open = await findOpenRequest(course.id);
  if (open?.fingerprint === fingerprint) return { ok: true, key: "versions.review.alreadyAsked" };
  // Would publishing succeed, and would it change anything? The same checks as publishing.
  const check = await dryRun(course.id);
  if (!check.ok) return check;
  if (open) await claimRequest(open.id, "superseded", null);
  try {
    await insertPublishRequest({ courseId: course.id, requestedById: user.id, fingerprint, note: note.normalize("NFC").trim().slice(0, 1000) });
  } catch (error) {
    if (isUniqueViolation(error)) return { ok: true, key: "versions.review.alreadyAsked" };
    throw error;
  }
  await audit({ action: "course.review.request", actorId: user.id, targetType: "course", targetId: course.id, ip });
  return { ok: true, key: "versions.review.asked" };
}

/** The draft's problems, or that it equals the published version; publishes nothing. */
async function dryRun(courseId: number): Promise<ReviewResult> {
  const d = await getDraftForPublishing(courseId);
  const problems: string[] = [];
  if (!d.lessons.length) problems.push("noLessons");
  if (d.lessons.some((l) => !l.html || l.rendererVersion !== MDX_RENDERER_VERSION)) problems.push("lessonNotCompiled");
  if (d.questions.length < d.quizSize) problems.push("quizTooSmall");
  const intro = d.intro ? await compileLesson(d.intro) : null;
  if (intro && !intro.ok) problems.push("introInvalid");
  if (problems.length) return { ok: false, problems };
  const { contentHash } = versionContent({ ...d, introHtml: intro?.ok ? intro.html : "" });
  if (d.publishedVersion?.contentHash === contentHash) return { ok: false, error: "versions.errors.noChanges" };
  return { ok: true, key: "" };
}

/** Publishing takes seconds at most; an approval still "approving" after this long was interrupted. */
const APPROVAL_LEASE_MS = 10 * 60_000;

async function requestOf(courseId: number, requestId: number) {
  await releaseStuckApprovals(courseId, new Date(Date.now() - APPROVAL_LEASE_MS));
  const request = await findRequest(courseId, requestId);
  if (!request) throw notFound();
  return request;
}

/**
 * Approves and publishes. Never the requester's own request. The request is claimed with a
 * conditional update first, so of two approvals at once exactly one publishes.
 */
export async function approve({ user, ip, course }: CourseEditing, requestId: number, comment: string): Promise<ReviewResult> {
  const request = await requestOf(course.id, requestId);
  if (request.requestedById === user.id) {
    await audit({ action: "course.review.approve", outcome: "denied", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { request: requestId, code: "own" } });
    return { ok: false, error: "versions.errors.ownRequest" };
  }
  if (!(await claimRequest(requestId, "approving", user.id, clean(comment), user.id))) return { ok: false, error: "versions.errors.notPending" };
  let result: PublishResult;
  try {
    result = await publishCourse(course.id, user.id, { fingerprint: request.fingerprint });
  } catch (error) {
    if (!isUniqueViolation(error)) {
      await finishApproval(requestId, { approved: false, status: "pending" });
      throw error;
    }
    result = await publishCourse(course.id, user.id, { fingerprint: request.fingerprint });
  }
  if (!result.ok) {
    const changed = result.problems.includes("draftChanged");
    await finishApproval(requestId, { approved: false, status: changed ? "superseded" : "pending" });
    await audit({ action: "course.review.approve", outcome: "failed", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { request: requestId, problems: result.problems } });
    return changed ? { ok: false, error: "versions.errors.draftChanged" } : { ok: false, problems: result.problems };
  }
  await finishApproval(requestId, { approved: true, versionNumber: result.number });
  await audit({ action: "course.review.approve", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { request: requestId, number: result.number, created: result.created } });
  return { ok: true, key: "versions.review.approved", number: result.number };
}

/** Rejects with comments (required: the requester needs to know why). Not one's own request: withdraw it instead. */
export async function reject({ user, ip, course }: CourseEditing, requestId: number, comment: string): Promise<ReviewResult> {
  const request = await requestOf(course.id, requestId);
  if (request.requestedById === user.id) return { ok: false, error: "versions.errors.ownRequest" };
  const text = clean(comment);
  if (!text) return { ok: false, error: "versions.errors.commentRequired" };
  if (!(await claimRequest(requestId, "rejected", user.id, text, user.id))) return { ok: false, error: "versions.errors.notPending" };
  await audit({ action: "course.review.reject", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { request: requestId } });
  return { ok: true, key: "versions.review.rejected" };
}

/** The requester takes their request back. */
export async function withdraw({ user, ip, course }: CourseEditing, requestId: number): Promise<ReviewResult> {
  const request = await requestOf(course.id, requestId);
  if (request.requestedById !== user.id) throw notFound();
  if (!(await claimRequest(requestId, "withdrawn", user.id))) return { ok: false, error: "versions.errors.notPending" };
  await audit({ action: "course.review.withdraw", actorId: user.id, targetType: "course", targetId: course.id, ip, detail: { request: requestId } });
  return { ok: true, key: "versions.review.withdrawn" };
}

const clean = (text: string) => text.normalize("NFC").trim().slice(0, 2000);

/** The open request of a course, as the editor page shows it next to the publish button. */
export async function openRequest(courseId: number) {
  const open = await findOpenRequest(courseId);
  if (!open) return null;
  const draft = await getDraftForPublishing(courseId);
  return { id: open.id, mine: false as boolean, requestedById: open.requestedById, stale: open.fingerprint !== draftFingerprint(draft) };
}
