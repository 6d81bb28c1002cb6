import { useEffect, useState } from 'react';
import { getDeploymentHealth, testDeployment } from '../../api/platform';
import type { DeploymentHealth, DeploymentTestResult } from '../../api/types';
import { useSignedIn } from '../../auth/session';
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
  const { t } = useI18n();
  const { api } = useSignedIn();
  const health = useResource(() => getDeploymentHealth(api), [api, version]);
  const { reload } = health;
  useEffect(() => {
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [reload]);

  return (
    <Section title={t('deployments.title')} id="deployments-title">
      <p className="hint">{t('deployments.intro')}</p>
      <ErrorBanner error={health.error} />
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="deployments-title">
        <table data-testid="deployments">
          <thead>
            <tr>
              <th scope="col">{t('deployments.model')}</th>
              <th scope="col">{t('deployments.provider')}</th>
              <th scope="col" className="num">{t('deployments.weight')}</th>
              <th scope="col" className="num">{t('deployments.priority')}</th>
              <th scope="col">{t('deployments.tags')}</th>
              <th scope="col">{t('deployments.circuit')}</th>
              <th scope="col" className="num">{t('deployments.successFail')}</th>
              <th scope="col" className="num">{t('deployments.latency')}</th>
              <th scope="col" className="num">{t('metric.ttft')}</th>
              <th scope="col">{t('deployments.test')}</th>
            </tr>
          </thead>
          <tbody>
            {(health.data ?? []).map((d) => (
              <DeploymentRow key={d.id} d={d} />
            ))}
          </tbody>
        </table>
      </div>
    </Section>
  );
}

function DeploymentRow({ d }: { d: DeploymentHealth }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const [result, setResult] = useState<DeploymentTestResult | null>(null);
  const test = useAction(async () => setResult(await testDeployment(api, d.id)));
  const circuit = CIRCUIT[d.circuit];
  return (
    <tr data-deployment={d.id}>
      <th scope="row">
        <code>{d.model}</code>
        <div className="hint mono">{d.upstream_model}</div>
      </th>
      <td>{d.provider}</td>
      <td className="num">{fmtNumber(lang, d.weight)}</td>
      <td className="num">{fmtNumber(lang, d.priority)}</td>
      <td>
        {Object.entries(d.tags).map(([k, v]) => (
          <span key={k} className="chip">
            {k}={v}
          </span>
        ))}
      </td>
      <td>
        <span className={`badge ${circuit.tone}`}>{t(circuit.label)}</span>
        {d.cooldown_remaining_s > 0 ? <div className="hint">{t('deployments.cooldown', { s: d.cooldown_remaining_s })}</div> : null}
        {d.last_error ? <div className="hint" title={d.last_error.message}>{d.last_error.code}</div> : null}
      </td>
      <td className="num">
        {fmtNumber(lang, d.successes)} / {fmtNumber(lang, d.failures)}
      </td>
      <td className="num">
        {fmtMs(lang, d.latency_ms.p50)} / {fmtMs(lang, d.latency_ms.p95)}
      </td>
      <td className="num">{fmtMs(lang, d.ttft_ms_ewma)}</td>
      <td>
        <button type="button" className="secondary small" disabled={test.busy} onClick={() => void test.run()} aria-label={t('deployments.testOne', { id: d.id })}>
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
      </td>
    </tr>
  );
}
