// A lesson built to be slow to parse used to freeze the whole server: the MDX check ran on the
// event loop and previews were not counted. Reproduced here against the real server with a short
// deadline: the server keeps answering, the slow lesson is refused in Vietnamese, and an account
// that keeps sending such lessons, or previews faster than anyone types, is made to wait.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/platform/db.server";
import { createUser, PASSWORD, twoProvinces } from "../support/factories";
import { Client } from "../support/http";
import { startServer, type RunningServer } from "../support/server";

let server: RunningServer;
// 100,000 "[" (half the lesson size limit): minutes of parsing before the check moved to a worker.
const SLOW_LESSON = "[".repeat(100_000);
const GOOD_LESSON = "## Mở đầu\n\nĐăng xuất sau khi dùng máy tính chung.\n";
const TOO_SLOW = "Bài giảng này quá phức tạp nên không kiểm tra kịp trong thời gian cho phép.";
const SLOW_DOWN = "Vui lòng đợi khoảng";

beforeAll(async () => {
  const world = await twoProvinces();
  await createUser("giangvien.cham@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a }]);
  await createUser("giangvien.nhanh@p1.vn", world.units.a2, [{ role: "trainer", unit: world.units.a }]);
  server = await startServer({ DATABASE_URL: process.env.DATABASE_URL!, MDX_DEADLINE_SECONDS: "2" });
});
afterAll(async () => server?.stop());

/** Signs in a trainer and gives them a course with one lesson; returns the lesson editor's path. */
async function trainerWithLesson(email: string, slug: string) {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  expect((await client.post("/author", { intent: "create", slug, title: "Khóa học thử", category: "egov" })).status).toBe(302);
  expect((await client.post(`/author/${slug}`, { intent: "addLesson", slug: "bai-mot", title: "Bài một" })).status).toBe(302);
  return { client, path: `/author/${slug}/lessons/bai-mot` };
}

const form = (intent: "preview" | "save", source: string) => ({ intent, title: "Bài một", titleEn: "", minutes: "5", source });

describe("a lesson built to be slow", () => {
  it("is refused when its time runs out while the server keeps answering, and the third one makes its sender wait", async () => {
    const { client, path } = await trainerWithLesson("giangvien.cham@p1.vn", "khoa-cham");
    const finished: string[] = [];
    const preview = client.post(path, form("preview", SLOW_LESSON)).then(async (r) => {
      finished.push("preview");
      return { status: r.status, text: await r.text() };
    });
    const health = await new Client(server.url).get("/healthz");
    finished.push("health");
    expect(health.status).toBe(200);
    const refused = await preview;
    expect(finished).toEqual(["health", "preview"]);
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(TOO_SLOW);

    // Saving goes through the same check; nothing is stored.
    const save = await client.post(path, form("save", SLOW_LESSON));
    expect(save.status).toBe(400);
    expect(await save.text()).toContain(TOO_SLOW);
    expect((await client.post(path, form("preview", SLOW_LESSON))).status).toBe(400);

    // Three lessons out of time in 15 minutes: even a good lesson waits now.
    const waiting = await client.post(path, form("save", GOOD_LESSON));
    expect(waiting.status).toBe(400);
    expect(await waiting.text()).toContain(SLOW_DOWN);
    const lesson = await db.lesson.findFirstOrThrow({ where: { slug: "bai-mot", course: { slug: "khoa-cham" } } });
    expect(lesson.source).toBe("");
  });

  it("does not hold up another trainer's preview once it has been refused", async () => {
    const { client, path } = await trainerWithLesson("giangvien@p1.vn", "khoa-khac");
    const response = await client.post(path, form("preview", GOOD_LESSON));
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<h2[^>]*>Mở đầu<\/h2>/);
  });
});

describe("previews", () => {
  it("are counted per account: of 61 sent at once, one is told to wait and the rest are rendered or queued, never dropped silently", async () => {
    const { client, path } = await trainerWithLesson("giangvien.nhanh@p1.vn", "khoa-nhanh");
    const responses = await Promise.all(
      Array.from({ length: 61 }, (_, i) => client.post(path, form("preview", `## Mục ${i}\n\nNội dung.\n`)).then(async (r) => ({ status: r.status, text: await r.text() }))),
    );
    const rendered = responses.filter((r) => r.status === 200);
    const told = responses.filter((r) => r.status === 400);
    expect(rendered.length + told.length).toBe(61);
    expect(told.filter((r) => r.text.includes(SLOW_DOWN))).toHaveLength(1);
    // The rest of the refusals, if any, say the server is busy: the queue of waiting lessons is bounded.
    const otherKeys = told.filter((r) => !r.text.includes(SLOW_DOWN)).map((r) => /author\.(?:check|lesson\.errors)\.\w+/.exec(r.text)?.[0]);
    expect(otherKeys.filter((k) => k !== "author.check.busy")).toEqual([]);
    expect(rendered.length).toBeGreaterThan(0);
  });
});
