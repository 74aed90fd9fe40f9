// The only components lesson MDX may use, and the description of what each accepts.
// Lessons are rendered to static HTML once, when they are compiled (content/mdx.server.ts),
// so these components never run in the browser: keep them pure and presentational.
// The validator reads MDX_COMPONENT_SPECS, so a prop that is not listed there can never
// reach a component. Changing markup or classes here means bumping MDX_RENDERER_VERSION.
import type { ComponentPropsWithoutRef, ReactNode } from "react";
import type { MediaKind } from "~/utils/media";

/** "text": any string; "media-path": a file in the media library; a list: one of these values. */
export type MdxPropValues = "text" | "media-path" | readonly string[];

export type MdxPropSpec = {
  values: MdxPropValues;
  /** For a media path: the kind of file it must name (the checker refuses another kind). */
  media?: MediaKind;
  /** A required prop must also be non-empty. */
  required: boolean;
  default?: string;
};

export type MdxComponentSpec = {
  props: Readonly<Record<string, MdxPropSpec>>;
  /** Whether content may go between the opening and closing tag. */
  children: boolean;
  /** A short, valid usage, for the authoring guide. */
  example: string;
};

export const CALLOUT_TYPES = ["info", "tip", "warning", "danger"] as const;
export type CalloutType = (typeof CALLOUT_TYPES)[number];

const figureProps = {
  src: { values: "media-path", media: "image", required: true },
  alt: { values: "text", required: true },
  caption: { values: "text", required: false },
} as const satisfies Record<string, MdxPropSpec>;

export const MDX_COMPONENT_SPECS = {
  Callout: {
    props: {
      type: { values: CALLOUT_TYPES, required: false, default: "info" },
      title: { values: "text", required: false },
    },
    children: true,
    example: '<Callout type="warning" title="Lưu ý">\n\nKhông bao giờ cung cấp mã OTP cho bất kỳ ai.\n\n</Callout>',
  },
  Steps: {
    props: {},
    children: true,
    example: "<Steps>\n\n1. Mở cổng dịch vụ công.\n2. Đăng nhập bằng VNeID.\n\n</Steps>",
  },
  Term: {
    props: { name: { values: "text", required: true } },
    children: true,
    example: '<Term name="Chữ ký số">\n\nDữ liệu điện tử gắn với văn bản để xác thực người ký.\n\n</Term>',
  },
  Checklist: {
    props: { title: { values: "text", required: false } },
    children: true,
    example: '<Checklist title="Cuối ngày">\n\n- Khóa màn hình.\n- Cất hồ sơ giấy.\n\n</Checklist>',
  },
  Figure: {
    props: figureProps,
    children: false,
    example: '<Figure src="/media/so-do-quy-trinh.png" alt="Sơ đồ quy trình tiếp nhận hồ sơ" caption="Quy trình tiếp nhận" />',
  },
  Screenshot: {
    props: figureProps,
    children: false,
    example: '<Screenshot src="/media/man-hinh-dang-nhap.png" alt="Màn hình đăng nhập cổng dịch vụ công" />',
  },
  Video: {
    props: {
      src: { values: "media-path", media: "video", required: true },
      title: { values: "text", required: true },
      captions: { values: "media-path", media: "captions", required: false },
    },
    children: false,
    example: '<Video src="/media/nop-ho-so.mp4" title="Nộp hồ sơ trên cổng dịch vụ công" captions="/media/nop-ho-so.vtt" />',
  },
  Audio: {
    props: {
      src: { values: "media-path", media: "audio", required: true },
      title: { values: "text", required: true },
      captions: { values: "media-path", media: "captions", required: false },
    },
    children: false,
    example: '<Audio src="/media/loi-dan.mp3" title="Lời dặn của giám đốc sở" />',
  },
  Attachment: {
    props: {
      src: { values: "media-path", media: "pdf", required: true },
      title: { values: "text", required: true },
    },
    children: false,
    example: '<Attachment src="/media/mau-to-khai.pdf" title="Mẫu tờ khai (PDF)" />',
  },
} as const satisfies Record<string, MdxComponentSpec>;

export type MdxComponentName = keyof typeof MDX_COMPONENT_SPECS;

const MEDIA_PATH = /^\/media\/[A-Za-z0-9._/-]+$/;

/** A path inside the media library; `.`/`..` segments and `//` are refused so it cannot leave it. */
export function isMediaPath(value: string): boolean {
  return MEDIA_PATH.test(value) && value.split("/").slice(2).every((segment) => segment !== "" && segment !== "." && segment !== "..");
}

// Lesson HTML is rendered once, in the lesson's own language (Vietnamese), not per request,
// so these labels are part of the lesson content rather than interface text.
const LABELS = {
  callout: { info: "Thông tin", tip: "Mẹo", warning: "Lưu ý", danger: "Nguy hiểm" } satisfies Record<CalloutType, string>,
  scrollableTable: "Bảng, có thể cuộn ngang",
  captions: "Phụ đề tiếng Việt",
  noVideo: "Trình duyệt không phát được video này. Tải video về:",
  noAudio: "Trình duyệt không phát được tệp âm thanh này. Tải về:",
  download: "Tải về",
};

const CALLOUT_STYLES: Record<CalloutType, { box: string; title: string; badge: string; mark: string }> = {
  info: { box: "border-brand-600 bg-brand-50", title: "text-brand-800", badge: "bg-brand-700", mark: "i" },
  tip: { box: "border-emerald-600 bg-emerald-50", title: "text-emerald-900", badge: "bg-emerald-700", mark: "✓" },
  warning: { box: "border-amber-500 bg-amber-50", title: "text-amber-900", badge: "bg-amber-700", mark: "!" },
  danger: { box: "border-flag bg-red-50", title: "text-red-900", badge: "bg-flag", mark: "!" },
};

function isCalloutType(value: unknown): value is CalloutType {
  return typeof value === "string" && (CALLOUT_TYPES as readonly string[]).includes(value);
}

// Markdown puts each paragraph in its own <p>; this keeps the box tight at both ends.
const FLOW_CONTENT = "[&>:first-child]:mt-0 [&>:last-child]:mb-0";

export function Callout({ type, title, children }: { type?: string; title?: string; children?: ReactNode }) {
  const kind = isCalloutType(type) ? type : "info";
  const style = CALLOUT_STYLES[kind];
  const label = LABELS.callout[kind];
  const heading = title?.trim() || label;
  return (
    <aside role="note" aria-label={heading} className={`my-6 rounded-md border-l-4 p-4 text-slate-800 ${style.box}`}>
      <p className={`mb-2 flex items-start gap-2 font-semibold ${style.title}`}>
        <span
          aria-hidden="true"
          className={`mt-0.5 inline-flex size-5 shrink-0 items-center justify-center rounded-full text-xs font-bold text-white ${style.badge}`}
        >
          {style.mark}
        </span>
        <span>
          {/* The type is shown by colour and icon; say it in words too when a title replaces it. */}
          {heading !== label ? <span className="sr-only">{label}: </span> : null}
          {heading}
        </span>
      </p>
      <div className={FLOW_CONTENT}>{children}</div>
    </aside>
  );
}

const STEPS_CLASSES = [
  "my-6",
  "[&>ol]:m-0 [&>ol]:list-none [&>ol]:space-y-4 [&>ol]:p-0 [&>ol]:[counter-reset:kns-step]",
  "[&>ol>li]:relative [&>ol>li]:min-h-8 [&>ol>li]:pl-11 [&>ol>li]:[counter-increment:kns-step]",
  "[&>ol>li]:before:absolute [&>ol>li]:before:left-0 [&>ol>li]:before:top-0 [&>ol>li]:before:flex",
  "[&>ol>li]:before:size-8 [&>ol>li]:before:items-center [&>ol>li]:before:justify-center [&>ol>li]:before:rounded-full",
  "[&>ol>li]:before:bg-brand-700 [&>ol>li]:before:text-sm [&>ol>li]:before:font-bold [&>ol>li]:before:text-white",
  "[&>ol>li]:before:content-[counter(kns-step)]",
].join(" ");

export function Steps({ children }: { children?: ReactNode }) {
  return <div className={STEPS_CLASSES}>{children}</div>;
}

export function Term({ name, children }: { name: string; children?: ReactNode }) {
  return (
    <dl className="my-6 rounded-md border border-slate-200 bg-white p-4 shadow-sm">
      <dt className="font-semibold text-brand-800">{name}</dt>
      <dd className={`mt-1 text-slate-800 ${FLOW_CONTENT}`}>{children}</dd>
    </dl>
  );
}

// The marker is decoration: the CSS alternative text ("/ ''") keeps screen readers from
// announcing "check mark" before every item.
const CHECKLIST_CLASSES = [
  "[&>ul]:m-0 [&>ul]:list-none [&>ul]:space-y-2 [&>ul]:p-0",
  "[&>ul>li]:relative [&>ul>li]:pl-8",
  "[&>ul>li]:before:absolute [&>ul>li]:before:left-0 [&>ul>li]:before:top-0.5 [&>ul>li]:before:flex",
  "[&>ul>li]:before:size-5 [&>ul>li]:before:items-center [&>ul>li]:before:justify-center [&>ul>li]:before:rounded",
  "[&>ul>li]:before:border-2 [&>ul>li]:before:border-brand-600 [&>ul>li]:before:bg-white",
  "[&>ul>li]:before:text-xs [&>ul>li]:before:font-bold [&>ul>li]:before:text-brand-700",
  "[&>ul>li]:before:content-['✓'_/_'']",
].join(" ");

export function Checklist({ title, children }: { title?: string; children?: ReactNode }) {
  const heading = title?.trim();
  return (
    <div role={heading ? "group" : undefined} aria-label={heading || undefined} className="my-6 rounded-md border border-brand-100 bg-brand-50 p-4 text-slate-800">
      {heading ? <p className="mb-3 font-semibold text-brand-800">{heading}</p> : null}
      <div className={CHECKLIST_CLASSES}>{children}</div>
    </div>
  );
}

type FigureProps = { src: string; alt: string; caption?: string };

function Caption({ text }: { text?: string }) {
  return text ? <figcaption className="mt-2 text-center text-sm text-slate-600">{text}</figcaption> : null;
}

// A figure's image is a link to itself: on a phone a diagram's small print opens full size with
// one tap (and zooms there), and the link's name is the image's description.
export function Figure({ src, alt, caption }: FigureProps) {
  return (
    <figure className="my-6">
      <a href={src} className="block">
        <img src={src} alt={alt} loading="lazy" decoding="async" className="mx-auto h-auto max-w-full rounded-md border border-slate-200" />
      </a>
      <Caption text={caption} />
    </figure>
  );
}

export function Screenshot({ src, alt, caption }: FigureProps) {
  return (
    <figure className="my-6">
      <a href={src} className="mx-auto block w-fit max-w-full rounded-xl border-8 border-slate-800 bg-slate-800 shadow-md">
        <img src={src} alt={alt} loading="lazy" decoding="async" className="block h-auto max-w-full rounded-sm" />
      </a>
      <Caption text={caption} />
    </figure>
  );
}

// Video and audio never play by themselves and fetch nothing until played (preload="none"), so a
// lesson stays light on a weak connection; the file is served in byte ranges for seeking.
export function Video({ src, title, captions }: { src: string; title: string; captions?: string }) {
  return (
    <figure className="my-6">
      <video controls preload="none" playsInline aria-label={title} className="aspect-video w-full rounded-md border border-slate-200 bg-slate-900">
        <source src={src} />
        {captions ? <track kind="captions" src={captions} srcLang="vi" label={LABELS.captions} default /> : null}
        <p>
          {LABELS.noVideo} <a href={src}>{title}</a>
        </p>
      </video>
      <figcaption className="mt-2 text-center text-sm text-slate-600">{title}</figcaption>
    </figure>
  );
}

export function Audio({ src, title, captions }: { src: string; title: string; captions?: string }) {
  return (
    <figure className="my-6 rounded-md border border-slate-200 bg-white p-4">
      <figcaption className="mb-2 font-semibold text-slate-800">{title}</figcaption>
      <audio controls preload="none" aria-label={title} className="w-full">
        <source src={src} />
        {captions ? <track kind="captions" src={captions} srcLang="vi" label={LABELS.captions} default /> : null}
        <p>
          {LABELS.noAudio} <a href={src}>{title}</a>
        </p>
      </audio>
    </figure>
  );
}

/**
 * A PDF to download. Its size is not known to the component: the compiled lesson carries a
 * placeholder that withAttachmentSizes (content/media-types.server.ts) fills in from the library.
 */
export function Attachment({ src, title }: { src: string; title: string }) {
  return (
    <p className="my-6">
      <a href={src} download className="inline-flex items-start gap-3 rounded-md border border-slate-300 bg-white p-3 text-brand-800 no-underline shadow-sm hover:bg-slate-50">
        <span aria-hidden="true" className="mt-0.5 inline-flex shrink-0 items-center justify-center rounded bg-red-700 px-1.5 py-0.5 text-xs font-bold text-white">
          PDF
        </span>
        <span>
          <span className="font-semibold underline underline-offset-2">{title}</span>
          <span className="block text-sm text-slate-600">
            {LABELS.download} <span data-attachment-size={src}>PDF</span>
          </span>
        </span>
      </a>
    </p>
  );
}

// Plain Markdown elements. The lesson HTML carries its own classes so any page can show it.

function isExternal(href: string | undefined): boolean {
  return /^(?:https?:)?\/\//i.test(href ?? "");
}

function Anchor({ href, children, ...rest }: ComponentPropsWithoutRef<"a">) {
  return (
    <a {...rest} href={href} rel={isExternal(href) ? "noopener noreferrer" : undefined} className="break-words text-brand-700 underline underline-offset-2">
      {children}
    </a>
  );
}

function MarkdownImage({ src, alt, title }: ComponentPropsWithoutRef<"img">) {
  return <img src={src} alt={alt ?? ""} title={title} loading="lazy" decoding="async" className="my-4 h-auto max-w-full rounded-md" />;
}

// Wide tables scroll sideways on a phone instead of widening the page; the region is
// focusable so keyboard users can scroll it too.
function Table({ children }: { children?: ReactNode }) {
  return (
    <div role="region" aria-label={LABELS.scrollableTable} tabIndex={0} className="my-6 overflow-x-auto rounded-md border border-slate-200">
      <table className="w-full min-w-[32rem] border-collapse text-left text-sm">{children}</table>
    </div>
  );
}

export const mdxComponents = {
  Callout,
  Steps,
  Term,
  Checklist,
  Figure,
  Screenshot,
  Video,
  Audio,
  Attachment,
  a: Anchor,
  img: MarkdownImage,
  table: Table,
  h2: (props: ComponentPropsWithoutRef<"h2">) => <h2 {...props} className="mb-3 mt-8 text-xl font-bold text-slate-900" />,
  h3: (props: ComponentPropsWithoutRef<"h3">) => <h3 {...props} className="mb-2 mt-6 text-lg font-semibold text-slate-900" />,
  p: (props: ComponentPropsWithoutRef<"p">) => <p {...props} className="my-4 leading-relaxed" />,
  ul: (props: ComponentPropsWithoutRef<"ul">) => <ul {...props} className="my-4 list-disc space-y-1 pl-6" />,
  ol: (props: ComponentPropsWithoutRef<"ol">) => <ol {...props} className="my-4 list-decimal space-y-1 pl-6" />,
  blockquote: (props: ComponentPropsWithoutRef<"blockquote">) => (
    <blockquote {...props} className="my-4 border-l-4 border-slate-300 pl-4 text-slate-700" />
  ),
  th: (props: ComponentPropsWithoutRef<"th">) => <th {...props} className="border-b border-slate-300 bg-slate-100 px-3 py-2 font-semibold text-slate-800" />,
  td: (props: ComponentPropsWithoutRef<"td">) => <td {...props} className="border-b border-slate-200 px-3 py-2 align-top" />,
  pre: (props: ComponentPropsWithoutRef<"pre">) => (
    <pre {...props} className="my-4 overflow-x-auto rounded-md bg-slate-900 p-4 text-sm text-slate-50 [&_code]:bg-transparent [&_code]:p-0 [&_code]:text-inherit" />
  ),
  // Fenced code passes className="language-…"; keep it next to ours.
  code: ({ className, ...props }: ComponentPropsWithoutRef<"code">) => (
    <code {...props} className={`rounded bg-slate-100 px-1 py-0.5 text-[0.9em] text-slate-900 ${className ?? ""}`.trim()} />
  ),
  hr: (props: ComponentPropsWithoutRef<"hr">) => <hr {...props} className="my-8 border-slate-200" />,
};
