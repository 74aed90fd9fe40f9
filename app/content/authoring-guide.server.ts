// The trainers' guide to lesson MDX (/author/guide): every component with its props and a
// rendered example, sample Markdown, and the checker's real message for common mistakes.
import { MDX_COMPONENT_SPECS, type MdxComponentSpec } from "~/components/mdx";
import { checkLessonMdx, type MdxProblem } from "~/content/mdx-check.server";
import { MDX_RENDERER_VERSION } from "~/content/mdx-compile.server";
import { compileLesson } from "~/content/mdx-sandbox.server";
import { withAttachmentSizes } from "~/content/media-types.server";
import { BoundedCache } from "~/utils/bounded-cache";

export type GuideComponent = {
  name: string;
  props: { name: string; values: string; media?: string; required: boolean; default?: string }[];
  children: boolean;
  source: string;
  html: string | null;
  problems: MdxProblem[];
};

export type GuideMistake = { source: string; problems: MdxProblem[] };

export type Guide = { markdown: { source: string; html: string | null }; components: GuideComponent[]; mistakes: GuideMistake[] };

// Sample lesson text (lesson content, which is Vietnamese, not interface text).
const MARKDOWN_SAMPLE = [
  "## Tiêu đề mục",
  "",
  "Một đoạn văn có **chữ đậm**, *chữ nghiêng* và [một liên kết](https://dichvucong.gov.vn).",
  "",
  "- Ý thứ nhất",
  "- Ý thứ hai",
  "",
  "1. Bước một",
  "2. Bước hai",
  "",
  "> Trích dẫn quy định hoặc lời khuyên.",
].join("\n");

// Mistakes trainers make most often; the guide shows the checker's real message for each.
const MISTAKE_SAMPLES = [
  "Số hồ sơ hôm nay: {process.env.SO_HO_SO}",
  '<script>alert("xin chào")</script>',
  '<Callout type="canh-bao">\n\nNội dung.\n\n</Callout>',
  "<Callout>\n\nQuên thẻ đóng.",
  '<Figure src="anh-chup.png" alt="Màn hình" />',
  '<Figure src="/media/khoa-hoc/anh.png" />',
  '<callout title="Viết sai chữ hoa">\n\nNội dung.\n\n</callout>',
  "Bấm vào <Term name=\"VNeID\">ứng dụng</Term> để đăng nhập.",
  "![](/media/khoa-hoc/so-do.png)",
];

// The components' own examples point at files that only exist in a course's media library;
// the guide shows them with the samples shipped in public/media/huong-dan/ (SVG for images).
function guideSource(spec: MdxComponentSpec): string {
  return spec.example
    .replace(/src="\/media\/([^"/]+)\.(?:png|jpe?g|gif|webp)"/g, 'src="/media/huong-dan/$1.svg"')
    .replace(/(src|captions)="\/media\/([^"/]+\.(?:mp4|webm|mp3|vtt|pdf))"/g, '$1="/media/huong-dan/$2"');
}

async function compileGuide(): Promise<Guide> {
  const components: GuideComponent[] = [];
  for (const [name, spec] of Object.entries(MDX_COMPONENT_SPECS) as [string, MdxComponentSpec][]) {
    const source = guideSource(spec);
    const result = await compileLesson(source);
    components.push({
      name,
      props: Object.entries(spec.props).map(([prop, p]) => ({
        name: prop,
        values: typeof p.values === "string" ? p.values : p.values.join(" | "),
        ...(p.media && { media: p.media }),
        required: p.required,
        default: p.default,
      })),
      children: spec.children,
      source,
      // The sample PDF's size is not in any library: the link says "PDF" alone.
      html: result.ok ? withAttachmentSizes(result.html, new Map()) : null,
      problems: result.ok ? [] : result.problems,
    });
  }
  const markdown = await compileLesson(MARKDOWN_SAMPLE);
  return {
    markdown: { source: MARKDOWN_SAMPLE, html: markdown.ok ? markdown.html : null },
    components,
    mistakes: MISTAKE_SAMPLES.map((source) => ({ source, problems: checkLessonMdx(source) })),
  };
}

// Compiled once per renderer version and process: the examples are fixed text. A failed
// compile is forgotten, so the next visit tries again.
const guideCache = new BoundedCache<number, Promise<Guide>>({ maxEntries: 1 });

export function authoringGuide(): Promise<Guide> {
  let guide = guideCache.get(MDX_RENDERER_VERSION);
  if (!guide) {
    guide = compileGuide();
    guideCache.set(MDX_RENDERER_VERSION, guide);
    guide.catch(() => guideCache.delete(MDX_RENDERER_VERSION));
  }
  return guide;
}
