import { useEffect, useState } from 'react';
import { getDeploymentHealth, testDeployment } from '../../api/platform';
import type { DeploymentHealth, DeploymentTestResult } from '../../api/types';
import { useSignedIn } from '../../auth/session';
import { DataTable, type Column } from '../../components/data-table';
import { ErrorBanner } from '../../components/error-banner';
import { Section } from '../../components/section';
import { useAction, useResource } from '../../components/use-resource';
import { fmtMs, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/en';

/** How often the health table refreshes itself. */
const POLL_MS = 5000;

const CIRCUIT: Record<DeploymentHealth['circuit'], { label: MessageKey; tone: string }> = {
  closed: { label: 'deployments.closed', tone: 'ok' },
  half_open: { label: 'deployments.halfOpen', tone: 'warn' },
  open: { label: 'deployments.open', tone: 'bad' },
};

export function DeploymentsSection({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const health = useResource(() => getDeploymentHealth(api), [api, version]);
  const { reload } = health;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const columns: Column<DeploymentHealth>[] = [
    {
      key: 'model',
      header: t('deployments.model'),
      rowHeader: true,
      cell: (d) => (
        <>
          <code>{d.model}</code>
          <div className="hint mono">{d.upstream_model}</div>
        </>
      ),
    },
    { key: 'provider', header: t('deployments.provider'), cell: (d) => d.provider },
    { key: 'weight', header: t('deployments.weight'), numeric: true, cell: (d) => fmtNumber(lang, d.weight) },
    { key: 'priority', header: t('deployments.priority'), numeric: true, cell: (d) => fmtNumber(lang, d.priority) },
    {
      key: 'tags',
      header: t('deployments.tags'),
      cell: (d) =>
        Object.entries(d.tags).map(([k, v]) => (
          <span key={k} className="chip">
            {k}={v}
          </span>
        )),
    },
    {
      key: 'circuit',
      header: t('deployments.circuit'),
      cell: (d) => (
        <>
          <span className={`badge ${CIRCUIT[d.circuit].tone}`}>{t(CIRCUIT[d.circuit].label)}</span>
          {d.cooldown_remaining_s > 0 ? <div className="hint">{t('deployments.cooldown', { s: d.cooldown_remaining_s })}</div> : null}
          {d.last_error ? <div className="hint" title={d.last_error.message}>{d.last_error.code}</div> : null}
        </>
      ),
    },
    { key: 'outcomes', header: t('deployments.successFail'), numeric: true, cell: (d) => `${fmtNumber(lang, d.successes)} / ${fmtNumber(lang, d.failures)}` },
    { key: 'latency', header: t('deployments.latency'), numeric: true, cell: (d) => `${fmtMs(lang, d.latency_ms.p50)} / ${fmtMs(lang, d.latency_ms.p95)}` },
    { key: 'ttft', header: t('metric.ttft'), numeric: true, cell: (d) => fmtMs(lang, d.ttft_ms_ewma) },
    // A component, not inline markup: each row keeps its own test result between polls.
    { key: 'test', header: t('deployments.test'), cell: (d) => <TestDeployment id={d.id} /> },
  ];

  return (
    <Section title={t('deployments.title')} id="deployments-title">
      <p className="hint">{t('deployments.intro')}</p>
      <ErrorBanner error={health.error} />
      <DataTable columns={columns} rows={health.data} rowKey={(d) => d.id} rowAttributes={(d) => ({ 'data-deployment': d.id })} labelledBy="deployments-title" testId="deployments" />
    </Section>
  );
}

function TestDeployment({ id }: { id: string }) {
  const { t } = useI18n();
  const { api } = useSignedIn();
  const [result, setResult] = useState<DeploymentTestResult | null>(null);
  const test = useAction(async () => setResult(await testDeployment(api, id)));
  return (
    <>
      <button type="button" className="secondary small" disabled={test.busy} onClick={() => void test.run()} aria-label={t('deployments.testOne', { id })}>
        {test.busy ? t('deployments.testing') : t('deployments.test')}
      </button>
      <div aria-live="polite" data-testid="test-result">
        {result ? (
          <span className={result.ok ? 'badge ok' : 'badge bad'} title={result.error ? `${result.error.code}: ${result.error.message}` : undefined}>
            {result.ok ? t('deployments.testOk', { ms: Math.round(result.latency_ms), status: result.status }) : t('deployments.testFailed', { status: result.status })}
          </span>
        ) : null}
      </div>
      <ErrorBanner error={test.error} />
    </>
  );
}
