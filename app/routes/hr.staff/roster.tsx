import type { SerializeFrom } from "@remix-run/node";
import { Form, Link } from "@remix-run/react";
import { SelectField, TextField } from "~/components/ui/Field";
import { ACCOUNT_STATUSES, accountStatus } from "~/utils/account-status";
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
      <SelectField id="account" label={t("account.status.label")} name="account" defaultValue={filters.account}>
        <option value="">{t("account.status.any")}</option>
        {ACCOUNT_STATUSES.map((s) => (
          <option key={s} value={s}>
            {t(`account.status.${s}`)}
          </option>
        ))}
      </SelectField>
      <button type="submit" className="btn sm:col-start-5">
        {t("hr.filter")}
      </button>
    </Form>
  );
}

/**
 * The roster. Officers who may send activation tick people who never signed in and mail them
 * their link from here.
 */
export function RosterTable({ staff, activation }: { staff: Roster["staff"]; activation: Roster["activation"] }) {
  const t = useT();
  const lang = useLang();
  const selectable = activation.canManage && activation.mail && staff.some((s) => accountStatus(s) === "notActivated");
  const table = (
    <div className="overflow-x-auto">
      <table className="table bg-white">
        <thead>
          <tr>
            {selectable ? (
              <th scope="col">
                <span className="sr-only">{t("account.manage.sendSelected")}</span>
              </th>
            ) : null}
            <th scope="col">{t("hr.employeeCode")}</th>
            <th scope="col">{t("hr.fullName")}</th>
            <th scope="col">{t("hr.unit")}</th>
            <th scope="col">{t("hr.position")}</th>
            <th scope="col">{t("hr.status")}</th>
            <th scope="col">{t("account.status.label")}</th>
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id}>
              {selectable ? (
                <td>
                  {accountStatus(s) === "notActivated" ? (
                    <input type="checkbox" name="userId" value={s.id} className="h-5 w-5" aria-label={t("account.manage.select", { name: s.fullName })} />
                  ) : null}
                </td>
              ) : null}
              <td>{s.employeeCode}</td>
              <td>
                <Link to={`/hr/staff/${s.id}`}>{s.fullName}</Link>
                <span className="block text-xs text-slate-600">{s.email}</span>
              </td>
              <td>{lang === "vi" ? s.orgUnit.nameVi : s.orgUnit.nameEn}</td>
              <td>{s.position}</td>
              <td>{s.active ? t("hr.active") : t("hr.left")}</td>
              <td>{t(`account.status.${accountStatus(s)}`)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
  if (!selectable) return table;
  return (
    <Form method="post" action="/hr/staff/activation" reloadDocument className="space-y-2">
      <input type="hidden" name="unit" value={activation.unit.code} />
      <input type="hidden" name="intent" value="mail" />
      {table}
      <button type="submit" className="btn-secondary">
        {t("account.manage.sendSelected")}
      </button>
    </Form>
  );
}
