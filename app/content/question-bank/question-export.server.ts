// A course's draft bank written for other systems: Moodle XML (with images) or GIFT (text only).
import { writeGift } from "~/content/question-bank/gift.server";
import { writeMoodleXml } from "~/content/question-bank/moodle-xml.server";
import { bankForExport } from "~/content/question-bank.data.server";
import type { BankQuestion } from "~/content/question-bank/bank-question.server";
import type { Choice, QuestionType } from "~/utils/course";

export const EXPORT_FORMATS = ["xml", "gift"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export async function exportBank(course: { id: number; slug: string; title: string }, format: ExportFormat): Promise<{ body: string; fileName: string; contentType: string; count: number }> {
  const { questions, media } = await bankForExport(course.id);
  const bytes = new Map(media.map((m) => [m.name, new Uint8Array(m.data)]));
  const bank: BankQuestion[] = questions.map((q) => ({
    key: q.key,
    type: q.type as QuestionType,
    prompt: q.prompt,
    choices: JSON.parse(q.choices) as Choice[],
    explanation: q.explanation,
    image: q.image && bytes.has(q.image) ? { name: q.image, alt: q.imageAlt, bytes: bytes.get(q.image)! } : null,
  }));
  // The category carries the course's title, so the bank lands in a category of that name.
  const category = course.title.replace(/[/\n]/g, " ").trim() || course.slug;
  if (format === "xml") return { body: writeMoodleXml(category, bank), fileName: `${course.slug}-cau-hoi.xml`, contentType: "application/xml; charset=utf-8", count: bank.length };
  return { body: writeGift(category, bank), fileName: `${course.slug}-cau-hoi.gift.txt`, contentType: "text/plain; charset=utf-8", count: bank.length };
}
