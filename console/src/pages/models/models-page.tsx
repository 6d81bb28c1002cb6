import { useState } from 'react';
import { useSignedIn } from '../../auth/session';
import { useI18n } from '../../i18n/i18n';
import { CatalogSection } from './catalog-section';
import { DeploymentsSection } from './deployments-section';
import { PublishedModels } from './published-models';

/** The catalog and credentials (operator), published models, deployments with live health (operator). */
export function ModelsPage() {
  const { t } = useI18n();
  const { isOperator } = useSignedIn();
  // Enabling a vendor publishes models and deployments: the other sections reload on a change.
  const [version, setVersion] = useState(0);
  return (
    <section className="page" aria-labelledby="models-title">
      <div className="page-head">
        <h1 id="models-title">{t('nav.models')}</h1>
      </div>
      {isOperator ? <CatalogSection onChanged={() => setVersion((v) => v + 1)} /> : null}
      <PublishedModels version={version} />
      {isOperator ? <DeploymentsSection version={version} /> : null}
    </section>
  );
}
