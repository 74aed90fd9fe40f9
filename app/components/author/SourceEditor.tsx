// The lesson source editor: a plain textarea with line numbers beside it, so that "Dòng 7, cột 1"
// in a problem can be found at a glance, and `jumpTo` moves the caret there. Lines do not wrap,
// so each number stays beside its line. Without JavaScript it is the same textarea, numbered as
// the page was sent.
import { forwardRef, useImperativeHandle, useRef, useState, type ReactNode } from "react";

export type SourceEditorHandle = { jumpTo: (line: number, column: number) => void };

type Props = {
  id: string;
  name: string;
  label: ReactNode;
  hint: ReactNode;
  defaultValue: string;
  invalid: boolean;
  describedBy: string;
  rows: number;
};

const countLines = (text: string) => text.split("\n").length;

export const SourceEditor = forwardRef<SourceEditorHandle, Props>(function SourceEditor({ id, name, label, hint, defaultValue, invalid, describedBy, rows }, ref) {
  const area = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const [lines, setLines] = useState(() => countLines(defaultValue));
  useImperativeHandle(ref, () => ({
    jumpTo(line, column) {
      const el = area.current;
      if (!el) return;
      const starts = el.value.split("\n");
      let offset = 0;
      for (let i = 0; i < Math.min(line - 1, starts.length - 1); i++) offset += starts[i].length + 1;
      offset += Math.min(Math.max(column - 1, 0), starts[Math.min(line - 1, starts.length - 1)]?.length ?? 0);
      el.focus();
      el.setSelectionRange(offset, offset);
      const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 24;
      el.scrollTop = Math.max(0, (line - 3) * lineHeight);
    },
  }));
  return (
    <div>
      <label htmlFor={id} className="label">
        {label}
      </label>
      <p id={`${id}-help`} className="mb-1 text-sm text-slate-600">
        {hint}
      </p>
      <div className="flex overflow-hidden rounded-md border border-slate-400 bg-white focus-within:outline-2 focus-within:outline-offset-2 focus-within:outline-brand-600">
        <div ref={gutter} aria-hidden="true" className="select-none overflow-hidden border-r border-slate-200 bg-slate-50 px-2 py-2 text-right font-mono text-sm leading-6 text-slate-500" style={{ height: `calc(${rows} * 1.5rem + 1rem)` }}>
          {Array.from({ length: lines }, (_, i) => (
            <div key={i}>{i + 1}</div>
          ))}
        </div>
        <textarea
          ref={area}
          id={id}
          name={name}
          rows={rows}
          wrap="off"
          defaultValue={defaultValue}
          spellCheck={false}
          className="block w-full resize-y overflow-auto whitespace-pre bg-white px-3 py-2 font-mono text-sm leading-6 text-slate-900 outline-none"
          aria-invalid={invalid || undefined}
          aria-describedby={describedBy}
          onInput={(e) => setLines(countLines(e.currentTarget.value))}
          onScroll={(e) => {
            if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
          }}
        />
      </div>
    </div>
  );
});
