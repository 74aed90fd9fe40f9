export const ROLES = ["learner", "trainer", "hr", "admin"] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

/** What a role may do. Every loader and action checks one of these through authorize(). */
export const CAPABILITIES = {
  "course.learn": ["learner", "trainer", "hr", "admin"],
  "course.author": ["trainer", "admin"],
  "staff.view": ["hr", "admin"],
  "staff.manage": ["hr", "admin"],
  "report.view": ["hr", "admin"],
  "certificate.manage": ["hr", "admin"],
  "grade.override": ["hr", "admin"],
  "audit.view": ["hr", "admin"],
  "user.manage": ["admin"],
  "role.manage": ["admin"],
  "unit.manage": ["admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Capability = keyof typeof CAPABILITIES;
