import { useRef, type KeyboardEvent } from 'react';

/**
 * A tab list (WAI-ARIA tabs pattern): one tab in the Tab order, arrow keys, Home and End move
 * between tabs and select them.
 */
export function Tabs<T extends string>({ label, options, value, onChange, idPrefix, controls }: { label: string; options: readonly { value: T; label: string }[]; value: T; onChange: (value: T) => void; idPrefix: string; controls?: string }) {
  const list = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = options.findIndex((o) => o.value === value);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: options.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = options[(next + options.length) % options.length]!;
    onChange(target.value);
    list.current?.querySelector<HTMLButtonElement>(`#${idPrefix}-${target.value}`)?.focus();
  };
  return (
    <div className="tabs" role="tablist" aria-label={label} ref={list} onKeyDown={onKeyDown}>
      {options.map((o) => (
        <button
          key={o.value}
          type="button"
          role="tab"
          id={`${idPrefix}-${o.value}`}
          aria-selected={o.value === value}
          aria-controls={controls}
          tabIndex={o.value === value ? 0 : -1}
          className={o.value === value ? 'tab active' : 'tab'}
          onClick={() => onChange(o.value)}
        >
          {o.label}
        </button>
      ))}
    </div>
  );
}
