import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { useLang, useT } from "~/utils/i18n";
import type { loader } from "./route";

type Roster = SerializeFrom<typeof loader>;

/** The roster's search: a GET form, so a filtered list has an address of its own. */
export function RosterFilters({ filters }: { filters: Roster["filters"] }) {
  const t = useT();
  return (
    <Form method="get" role="search" className="grid gap-3 sm:grid-cols-5 sm:items-end">
      <TextField id="q" label={t("hr.search")} name="q" defaultValue={filters.text} containerClassName="sm:col-span-2" />
      <TextField id="unit" label={t("hr.unitFilter")} name="unit" defaultValue={filters.unit} />
      <SelectField id="status" label={t("hr.statusFilter")} name="status" defaultValue={filters.status}>
        <option value="">{t("hr.allStatuses")}</option>
        <option value="active">{t("hr.active")}</option>
        <option value="left">{t("hr.left")}</option>
      </SelectField>
      <TextField id="position" label={t("hr.positionFilter")} name="position" defaultValue={filters.position} />
      <button type="submit" className="btn sm:col-start-5">
        {t("hr.filter")}
      </button>
    </Form>
  );
}

export function RosterTable({ staff }: { staff: Roster["staff"] }) {
  const t = useT();
  const lang = useLang();
  return (
    <div className="overflow-x-auto">
      <table className="table bg-white">
        <thead>
          <tr>
            <th scope="col">{t("hr.employeeCode")}</th>
            <th scope="col">{t("hr.fullName")}</th>
            <th scope="col">{t("hr.unit")}</th>
            <th scope="col">{t("hr.position")}</th>
            <th scope="col">{t("hr.status")}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              <td>{s.employeeCode}</td>
              <td>
                <Link to={`/hr/staff/${s.id}`}>{s.fullName}</Link>
                <span className="block text-xs text-slate-600">{s.email}</span>
              </td>
              <td>{lang === "vi" ? s.orgUnit.nameVi : s.orgUnit.nameEn}</td>
              <td>{s.position}</td>
              <td>{s.active ? t("hr.active") : t("hr.left")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
