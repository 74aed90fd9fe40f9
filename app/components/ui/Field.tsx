import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  );
}

/** What every field shows around its control: a label, an optional hint and an error. */
type FieldProps = {
  id: string;
  label: ReactNode;
  /** The translated message; it marks the control invalid and describes it (`<id>-error`). */
  error?: string;
  hint?: ReactNode;
  /** `<id>-help` unless given. */
  hintId?: string;
  /** Above the control for instructions to read before typing, below it for a side note. */
  hintAbove?: boolean;
  /** `sm` above the control, `xs` below it, unless given. */
  hintSize?: "xs" | "sm";
  /** Classes of the box around the field (grid placement); the control takes `className`. */
  containerClassName?: string;
};

function hintIdOf(field: FieldProps) {
  return field.hint ? (field.hintId ?? `${field.id}-help`) : null;
}

/** The control's ARIA wiring: invalid while there is an error, described by the hint and the error. */
function describedBy(field: FieldProps) {
  const ids = [hintIdOf(field), field.error ? `${field.id}-error` : null].filter(Boolean).join(" ");
  return { "aria-invalid": field.error ? true : undefined, "aria-describedby": ids || undefined };
}

function FieldBox({ field, children }: { field: FieldProps; children: ReactNode }) {
  const size = field.hintSize ?? (field.hintAbove ? "sm" : "xs");
  const hint = field.hint ? (
    <p id={hintIdOf(field) ?? undefined} className={`${field.hintAbove ? "mb-1" : "mt-1"} ${size === "sm" ? "text-sm" : "text-xs"} text-slate-600`}>
      {field.hint}
    </p>
  ) : null;
  return (
    <div className={field.containerClassName}>
      <label htmlFor={field.id} className="label">
        {field.label}
      </label>
      {field.hintAbove ? hint : null}
      {children}
      {field.hintAbove ? null : hint}
      <FieldError id={`${field.id}-error`} message={field.error} />
    </div>
  );
}

// Each control takes the attributes of its element; those given win over the computed ARIA
// wiring, for a control described by something other than its own hint and error.
export function TextField({ id, label, error, hint, hintId, hintAbove, hintSize, containerClassName, className = "input", ...input }: FieldProps & InputHTMLAttributes<HTMLInputElement>) {
  const field = { id, label, error, hint, hintId, hintAbove, hintSize, containerClassName };
  return (
    <FieldBox field={field}>
      <input id={id} className={className} {...describedBy(field)} {...input} />
    </FieldBox>
  );
}

export function TextareaField({ id, label, error, hint, hintId, hintAbove, hintSize, containerClassName, className = "input", ...textarea }: FieldProps & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const field = { id, label, error, hint, hintId, hintAbove, hintSize, containerClassName };
  return (
    <FieldBox field={field}>
      <textarea id={id} className={className} {...describedBy(field)} {...textarea} />
    </FieldBox>
  );
}

export function SelectField({ id, label, error, hint, hintId, hintAbove, hintSize, containerClassName, className = "input", children, ...select }: FieldProps & SelectHTMLAttributes<HTMLSelectElement>) {
  const field = { id, label, error, hint, hintId, hintAbove, hintSize, containerClassName };
  return (
    <FieldBox field={field}>
      <select id={id} className={className} {...describedBy(field)} {...select}>
        {children}
      </select>
    </FieldBox>
  );
}
