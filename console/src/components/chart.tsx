import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/i18n';

/** An ECharts canvas; ECharts itself loads on first use (dynamic import, its own chunk). */
export function Chart({ option, label }: { option: EChartsCoreOption; label: string }) {
  const { t } = useI18n();
  const ref = useRef<HTMLDivElement>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'failed'>('loading');

  useEffect(() => {
    let cancelled = false;
    let dispose = () => {};
    import('./echarts-setup')
      .then(({ echarts }) => {
        const el = ref.current;
        if (cancelled || !el) return;
        const chart = echarts.init(el);
        chart.setOption(option);
        const observer = new ResizeObserver(() => chart.resize());
        observer.observe(el);
        dispose = () => {
          observer.disconnect();
          chart.dispose();
        };
        setState('ready');
      })
      .catch(() => !cancelled && setState('failed'));
    return () => {
      cancelled = true;
      dispose();
    };
  }, [option]);

  return (
    <figure className="chart-figure">
      <figcaption>{label}</figcaption>
      <div ref={ref} className="chart" role="img" aria-label={label} data-state={state} />
      {state === 'failed' ? <p className="hint">{t('chart.failed')}</p> : null}
    </figure>
  );
}
