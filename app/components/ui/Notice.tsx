export function Notice({ tone, children }: { tone: "success" | "error"; children: React.ReactNode }) {
  return tone === "success" ? (
    <p role="status" className="rounded border border-green-300 bg-green-50 p-3 text-sm text-green-900">
      {children}
    </p>
  ) : (
    <p role="alert" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
      {children}
    </p>
  );
}

export function FieldError({ id, message }: { id: string; message?: string }) {
  if (!message) return null;
  return (
    <p id={id} className="mt-1 text-sm text-red-700">
      {message}
    </p>
  );
}
