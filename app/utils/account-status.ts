/** Where a person's account stands, as HR pages show and filter it. */
export const ACCOUNT_STATUSES = ["notActivated", "active", "locked"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number] | "left";

export function accountStatus(person: { active: boolean; activatedAt: Date | string | null; lockedAt: Date | string | null }): AccountStatus {
  if (!person.active) return "left";
  if (person.lockedAt) return "locked";
  return person.activatedAt ? "active" : "notActivated";
}

export const isAccountStatus = (value: unknown): value is (typeof ACCOUNT_STATUSES)[number] =>
  typeof value === "string" && (ACCOUNT_STATUSES as readonly string[]).includes(value);
