import { listModels } from '../../api/platform';
import { useSignedIn } from '../../auth/session';
import { ErrorBanner } from '../../components/error-banner';
import { Section } from '../../components/section';
import { useResource } from '../../components/use-resource';
import { fmtCost, fmtNumber } from '../../format';
import { useI18n } from '../../i18n/i18n';

export function PublishedModels({ version }: { version: number }) {
  const { t, lang } = useI18n();
  const { api } = useSignedIn();
  const models = useResource(() => listModels(api), [api, version]);
  return (
    <Section title={t('models.published')} id="published-title">
      <ErrorBanner error={models.error} />
      {models.data?.length === 0 ? <p className="empty">{t('models.none')}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby="published-title">
        <table data-testid="published-models">
          <thead>
            <tr>
              <th scope="col">{t('models.name')}</th>
              <th scope="col">{t('models.owner')}</th>
              <th scope="col">{t('models.capabilities')}</th>
              <th scope="col" className="num">{t('models.context')}</th>
              <th scope="col" className="num">{t('models.priceIn')}</th>
              <th scope="col" className="num">{t('models.priceOut')}</th>
            </tr>
          </thead>
          <tbody>
            {(models.data ?? []).map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <code>{m.id}</code>
                </th>
                <td>{m.owned_by}</td>
                <td>
                  {m.capabilities.map((c) => (
                    <span key={c} className="chip">
                      {c}
                    </span>
                  ))}
                </td>
                <td className="num">{fmtNumber(lang, m.context_window)}</td>
                <td className="num">{m.pricing ? fmtCost(lang, m.pricing.input, m.pricing.currency) : '—'}</td>
                <td className="num">{m.pricing ? fmtCost(lang, m.pricing.output, m.pricing.currency) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="hint">{t('models.priceUnit')}</p>
    </Section>
  );
}
