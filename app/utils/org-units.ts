export const UNIT_KINDS = ["province", "commune", "agency"] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];
/** Unit codes are short identifiers; "/" is reserved for the materialised path. */
export const UNIT_CODE = /^[A-Za-z0-9._-]{1,32}$/;
