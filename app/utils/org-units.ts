export const UNIT_KINDS = ["province", "commune", "agency"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/**
 * What may be created under a unit: communes and agencies under a province, agencies (and their
 * departments) under a commune or an agency. Provinces come only from the official list.
 */
export const CHILD_KINDS: Record<UnitKind, readonly UnitKind[]> = {
  province: ["commune", "agency"],
  commune: ["agency"],
  agency: ["agency"],
};

export function childKindsOf(kind: string): readonly UnitKind[] {
  return (CHILD_KINDS as Record<string, readonly UnitKind[]>)[kind] ?? [];
}

/** Unit codes are short identifiers; "/" is reserved for the materialised path. */
export const UNIT_CODE = /^[A-Za-z0-9._-]{1,32}$/;

/**
 * A unit and everything below it, as a Prisma filter on `path`. Paths are "/code/code/", so every
 * descendant sorts between the path itself and the path with its final "/" raised to "0": a range
 * the path index answers directly, compared byte by byte (SQLite's BINARY collation; the
 * PostgreSQL column uses the "C" collation). A `LIKE 'prefix%'` (Prisma's `startsWith`) cannot
 * use that index on SQLite, whose LIKE ignores case.
 */
export function subtreeOf(path: string): { gte: string; lt: string } {
  if (!path.endsWith("/")) throw new Error(`not a unit path: ${path}`);
  return { gte: path, lt: `${path.slice(0, -1)}0` };
}

/** The filter `subtreeOf` builds for several subtrees at once (a user's whole scope). */
export type UnitFilter = { OR: { path: { gte: string; lt: string } }[] };

export function subtreesOf(paths: string[]): UnitFilter {
  return { OR: paths.map((p) => ({ path: subtreeOf(p) })) };
}
