import { listAlerts } from '../../api/metering';
import { useSignedIn } from '../../auth/session';
import type { BudgetAlertView, Org } from '../../api/types';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { Section } from '../../components/section';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtDateTime, fmtPercent } from '../../format';
import { useI18n } from '../../i18n/i18n';

/** The newest budget alerts of the selected org (or of every org the viewer sees): docs/limits.md. */
export function BudgetAlerts({ orgId, orgs }: { orgId: string; orgs: readonly Org[] }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const alerts = useResource(() => listAlerts(api, { org_id: orgId || undefined, limit: 20 }), [api, orgId]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const columns: Column<BudgetAlertView>[] = [
    { key: 'time', header: t('alerts.time'), cell: (a) => fmtDateTime(lang, a.created_at) },
    ...(orgId ? [] : [{ key: 'org', header: t('alerts.org'), cell: (a: BudgetAlertView) => orgName.get(a.org_id) ?? a.org_id }]),
    { key: 'scope', header: t('alerts.scope'), className: 'mono', cell: (a) => a.key_id ?? t('alerts.orgBudget') },
    { key: 'period', header: t('alerts.period'), cell: (a) => a.period ?? t('alerts.lifetime') },
    { key: 'threshold', header: t('alerts.threshold'), numeric: true, cell: (a) => fmtPercent(lang, a.threshold) },
    { key: 'spent', header: t('alerts.spent'), numeric: true, cell: (a) => fmtCost(lang, a.spent, a.currency) },
    { key: 'budget', header: t('alerts.budget'), numeric: true, cell: (a) => fmtCost(lang, a.budget, a.currency) },
  ];
  return (
    <Section title={t('alerts.title')} id="budget-alerts-title">
      <ErrorBanner error={alerts.error} />
      <DataTable
        columns={columns}
        rows={alerts.data?.data}
        rowKey={(a) => a.id}
        labelledBy="budget-alerts-title"
        testId="budget-alerts"
        empty={t('alerts.empty')}
        rowAttributes={(a) => ({ 'data-alert-id': a.id })}
      />
    </Section>
  );
}
