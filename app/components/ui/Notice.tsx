import type { ReactNode } from "react";

// Errors interrupt a screen reader (alert); successes and warnings wait their turn (status).
const TONES = {
  success: { role: "status", colours: "border-green-300 bg-green-50 text-green-900" },
  error: { role: "alert", colours: "border-red-300 bg-red-50 text-red-800" },
  warning: { role: "status", colours: "border-amber-300 bg-amber-50 text-amber-900" },
} as const;

/**
 * A coloured box with a message: the outcome of what the user just did, or a warning about the
 * page. `announce={false}` for a note that is part of the page rather than news; `as="div"` when
 * the message holds more than a line of text (a list, several paragraphs).
 */
export function Notice({
  tone,
  children,
  className,
  compact = false,
  announce = true,
  as: Tag = "p",
  id,
}: {
  tone: keyof typeof TONES;
  children: ReactNode;
  /** Spacing around the box (margins); the box's own look comes from the tone. */
  className?: string;
  compact?: boolean;
  announce?: boolean;
  as?: "p" | "div";
  id?: string;
}) {
  const { role, colours } = TONES[tone];
  const classes = [className, "rounded border", colours, compact ? "p-2" : "p-3", "text-sm"].filter(Boolean).join(" ");
  return (
    <Tag id={id} role={announce ? role : undefined} className={classes}>
      {children}
    </Tag>
  );
}
