import { useT } from "~/utils/i18n";

const BADGE = {
  valid: "bg-green-100 text-green-900",
  expired: "bg-amber-100 text-amber-900",
  revoked: "bg-red-100 text-red-900",
  replaced: "bg-red-100 text-red-900",
} as const;

export type CertificateState = keyof typeof BADGE;

/** A certificate's status as a coloured label; the colour only repeats what the text says. */
export function StatusBadge({ state }: { state: CertificateState }) {
  const t = useT();
  return <span className={`inline-block whitespace-nowrap rounded px-2 py-0.5 text-xs font-semibold ${BADGE[state]}`}>{t(`certificates.status.${state}`)}</span>;
}
