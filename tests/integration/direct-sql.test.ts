// Reads and single writes that go straight to the database driver (readRows, writeRows, decision
// 013) must answer exactly what Prisma would: committed rows only, dates and booleans in the same
// instant and truth, values always as parameters, writes ordered with open transactions; and on
// PostgreSQL a lost connection must not end the process.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { db, dbProvider, readRows, writeRows, type DateValue } from "~/platform/db.server";
import { createUnit, createUser } from "../support/factories";

describe("reads and single writes straight to the driver", () => {
  it("see what the ORM wrote, with the same instants, truth values and nulls", async () => {
    const unit = await createUnit("DR1");
    const user = await createUser("doc-truc-tiep@p1.vn", unit);
    const expiresAt = new Date("2026-11-26T16:59:59.123Z");
    await db.session.create({ data: { id: "direct-read-session", userId: user.id, expiresAt } });
    await db.course.create({ data: { slug: "doc-truc-tiep", title: "Đọc trực tiếp", category: "other", sequential: true } });

    const [session] = await readRows<{ userId: number | bigint; expiresAt: DateValue }>`
      SELECT "userId", "expiresAt" FROM "Session" WHERE "id" = ${"direct-read-session"}`;
    expect(Number(session.userId)).toBe(user.id);
    expect(new Date(session.expiresAt).toISOString()).toBe(expiresAt.toISOString());

    // A Date parameter compares against stored dates as the ORM would, to the millisecond.
    const before = await readRows<{ id: string }>`SELECT "id" FROM "Session" WHERE "expiresAt" > ${new Date(expiresAt.getTime() - 1)}`;
    const after = await readRows<{ id: string }>`SELECT "id" FROM "Session" WHERE "expiresAt" > ${expiresAt}`;
    expect(before.map((r) => r.id)).toContain("direct-read-session");
    expect(after.map((r) => r.id)).not.toContain("direct-read-session");

    const [course] = await readRows<{ sequential: boolean | number; publishedVersionId: number | null }>`
      SELECT "sequential", "publishedVersionId" FROM "Course" WHERE "slug" = ${"doc-truc-tiep"} AND "sequential" = ${true}`;
    expect(Boolean(Number(course.sequential))).toBe(true);
    expect(course.publishedVersionId).toBeNull();
  });

  it("treat every value as a parameter", async () => {
    const hostile = `x' OR '1'='1`;
    expect(await readRows`SELECT "id" FROM "Course" WHERE "slug" = ${hostile}`).toEqual([]);
  });

  it("never see a write that has not committed", async () => {
    const unit = await createUnit("DR2");
    let seenInside: unknown[] = ["not read"];
    await db
      .$transaction(async (tx) => {
        await tx.user.create({ data: { email: "chua-ghi@p1.vn", fullName: "Chưa Ghi", orgUnitId: unit.id } });
        seenInside = await readRows`SELECT "id" FROM "User" WHERE "email" = ${"chua-ghi@p1.vn"}`;
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(seenInside).toEqual([]);
    expect(await readRows`SELECT "id" FROM "User" WHERE "email" = ${"chua-ghi@p1.vn"}`).toEqual([]);
  });

  it("keep working after the database closes their connection (PostgreSQL) or checkpoints its log (SQLite)", async () => {
    expect(Number((await readRows<{ one: number }>`SELECT 1 AS "one"`)[0].one)).toBe(1);
    if (dbProvider === "postgres") {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      const killed = await admin.query(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      await admin.end();
      expect(killed.rowCount).toBeGreaterThan(0);
      // The closed idle connections are dropped (logged, not thrown); the next read gets a new one.
      await new Promise((r) => setTimeout(r, 200));
    } else {
      await db.$queryRawUnsafe("PRAGMA wal_checkpoint(TRUNCATE)");
    }
    const unit = await createUnit("DR3");
    await createUser("sau-ngat@p1.vn", unit);
    expect(await readRows`SELECT "id" FROM "User" WHERE "email" = ${"sau-ngat@p1.vn"}`).toHaveLength(1);
  });

  it("write single statements that the ORM reads back, and wait for a transaction that holds the database", async () => {
    const unit = await createUnit("DW1");
    const user = await createUser("ghi-truc-tiep@p1.vn", unit);
    const at = new Date("2026-11-26T03:04:05.678Z");
    expect(await writeRows`INSERT INTO "Session" ("id", "userId", "expiresAt", "createdAt") VALUES (${"direct-write"}, ${user.id}, ${at}, ${at})`).toEqual([]);
    expect((await db.session.findUniqueOrThrow({ where: { id: "direct-write" } })).expiresAt.toISOString()).toBe(at.toISOString());
    const returned = await writeRows<{ id: string; expiresAt: DateValue }>`
      UPDATE "Session" SET "expiresAt" = ${new Date(at.getTime() + 1000)} WHERE "id" = ${"direct-write"} RETURNING "id", "expiresAt"`;
    expect(returned.map((r) => [r.id, new Date(r.expiresAt).getTime()])).toEqual([["direct-write", at.getTime() + 1000]]);

    // A transaction is open and waiting: the write is applied after it, and neither is lost.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.$transaction(async (tx) => {
      await tx.user.update({ where: { id: user.id }, data: { fullName: "Trong Giao Dịch" } });
      await gate;
    });
    await new Promise((r) => setTimeout(r, 50));
    const write = writeRows`UPDATE "User" SET "locale" = ${"en"} WHERE "id" = ${user.id}`;
    release();
    await Promise.all([transaction, write]);
    const after = await db.user.findUniqueOrThrow({ where: { id: user.id } });
    expect([after.fullName, after.locale]).toEqual(["Trong Giao Dịch", "en"]);
  });

  it("keep working when Prisma disconnects and opens a new connection", async () => {
    const unit = await createUnit("DR4");
    await createUser("ket-noi-lai@p1.vn", unit);
    const read = () => readRows<{ email: string }>`SELECT "email" FROM "User" WHERE "email" = ${"ket-noi-lai@p1.vn"}`;
    expect(await read()).toHaveLength(1);
    await db.$disconnect();
    // Between the disconnect and Prisma's next query, and after it.
    expect(await read()).toHaveLength(1);
    await writeRows`UPDATE "User" SET "locale" = ${"en"} WHERE "email" = ${"ket-noi-lai@p1.vn"}`;
    expect((await db.user.findUniqueOrThrow({ where: { email: "ket-noi-lai@p1.vn" } })).locale).toBe("en");
    expect(await read()).toHaveLength(1);
  });
});
