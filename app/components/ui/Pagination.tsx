import { Link } from "@remix-run/react";

/**
 * Links to the page before and after, keeping the list's filters: `?<query>&page=N`. A link shows
 * only where there is a page to go to.
 */
export function Pagination({
  label,
  query,
  page,
  pageSize,
  total,
  previous,
  next,
}: {
  label: string;
  query: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
  previous: string;
  next: string;
}) {
  const href = (to: number) => `?${new URLSearchParams({ ...query, page: String(to) })}`;
  return (
    <nav className="flex gap-3" aria-label={label}>
      {page > 0 ? <Link to={href(page - 1)}>← {previous}</Link> : null}
      {(page + 1) * pageSize < total ? <Link to={href(page + 1)}>{next} →</Link> : null}
    </nav>
  );
}
