// Yearly training hours: what each person of a unit completed this year (online courses by their
// declared time, and in-person classes or external courses they completed) against the yearly requirement that applies to them, rolled up by the
// unit's direct children for the report, person by person for the list and the downloads.
// The requirement is the rule of the nearest unit up the tree; at that unit a rule for the
// person's position wins over the rule for everyone.
import { unitsUnder } from "~/hr/coverage.data.server";
import { activePeopleUnder, classMinutesByPerson, completedMinutesByPerson, hoursRules } from "~/hr/hours.data.server";
import { foldText } from "~/utils/text";
import { VIETNAM_OFFSET_MS } from "~/utils/vietnam-time";

type Rule = Awaited<ReturnType<typeof hoursRules>>[number];

/** The first instant of a year in Viet Nam. */
const yearStart = (year: number) => new Date(Date.UTC(year, 0, 1) - VIETNAM_OFFSET_MS);
export const currentYear = (now = new Date()) => new Date(now.getTime() + VIETNAM_OFFSET_MS).getUTCFullYear();

export function requirementFor(person: { position: string; orgUnit: { path: string } }, rules: Rule[]): number | null {
  const position = foldText(person.position);
  const applicable = rules.filter((r) => person.orgUnit.path.startsWith(r.orgUnit.path) && (r.position === "" || position.includes(foldText(r.position))));
  applicable.sort((a, b) => b.orgUnit.path.length - a.orgUnit.path.length || b.position.length - a.position.length);
  return applicable[0]?.hours ?? null;
}

export type HoursGroup = { code: string; nameVi: string; nameEn: string; hasChildren: boolean; people: number; required: number; met: number; minutes: number; inPersonMinutes: number };

export async function hoursReport(unit: { id: number; path: string; code: string; nameVi: string; nameEn: string }, year: number) {
  const [from, to] = [yearStart(year), yearStart(year + 1)];
  const [people, minutes, inPerson, rules, units] = await Promise.all([
    activePeopleUnder(unit.path),
    completedMinutesByPerson(unit.path, from, to),
    classMinutesByPerson(unit.path, from, to),
    hoursRules(),
    unitsUnder(unit.path),
  ]);
  const children = units.filter((u) => u.parentId === unit.id);
  const parents = new Set(units.map((u) => u.parentId));
  const groups = new Map<string, HoursGroup>();
  const groupOf = (code: string, u: { nameVi: string; nameEn: string }, hasChildren: boolean) => {
    let g = groups.get(code);
    if (!g) groups.set(code, (g = { code, nameVi: u.nameVi, nameEn: u.nameEn, hasChildren, people: 0, required: 0, met: 0, minutes: 0, inPersonMinutes: 0 }));
    return g;
  };
  for (const c of children) groupOf(c.code, c, parents.has(c.id));
  const byCode = new Map(children.map((c) => [c.code, c]));
  const list = people.map((p) => {
    const required = requirementFor(p, rules);
    const online = minutes.get(p.id) ?? 0;
    const classroom = inPerson.get(p.id) ?? 0;
    const done = online + classroom;
    const met = required !== null && done >= required * 60;
    const first = p.orgUnit.path.slice(unit.path.length).split("/")[0];
    const child = first ? byCode.get(first) : undefined;
    const g = child ? groupOf(child.code, child, parents.has(child.id)) : groupOf(unit.code, unit, false);
    g.people++;
    g.minutes += done;
    g.inPersonMinutes += classroom;
    if (required !== null) g.required++;
    if (met) g.met++;
    return { id: p.id, fullName: p.fullName, employeeCode: p.employeeCode ?? "", position: p.position, unitCode: p.orgUnit.code, unitVi: p.orgUnit.nameVi, unitEn: p.orgUnit.nameEn, minutes: done, onlineMinutes: online, inPersonMinutes: classroom, required, met };
  });
  const rows = [...groups.values()].filter((g) => g.people > 0 || g.code !== unit.code).sort((a, b) => a.nameVi.localeCompare(b.nameVi, "vi"));
  const total = rows.reduce(
    (t, g) => ({ people: t.people + g.people, required: t.required + g.required, met: t.met + g.met, minutes: t.minutes + g.minutes, inPersonMinutes: t.inPersonMinutes + g.inPersonMinutes }),
    { people: 0, required: 0, met: 0, minutes: 0, inPersonMinutes: 0 },
  );
  // The rules that bear on this unit: its own and its ancestors', and those inside it.
  const relevant = rules.filter((r) => unit.path.startsWith(r.orgUnit.path) || r.orgUnit.path.startsWith(unit.path));
  return { year, rows, total, people: list, rules: relevant };
}
export type HoursReport = Awaited<ReturnType<typeof hoursReport>>;
