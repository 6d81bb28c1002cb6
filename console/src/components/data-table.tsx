import type { ReactNode } from 'react';

/** One column: its header, how a row fills its cell, and how that cell is marked up. */
export interface Column<Row> {
  key: string;
  header: string;
  /** Right-aligned tabular figures: `num` on the header and on every cell. */
  numeric?: boolean;
  /** This cell names its row for screen readers: `<th scope="row">` instead of `<td>`. */
  rowHeader?: boolean;
  /** More classes for the body cells (`mono`, …). */
  className?: string;
  cell: (row: Row) => ReactNode;
}

/** `data-*` attributes a row carries for the browser tests (`data-log-id`, `data-status`, …). */
export type RowAttributes = { [name: `data-${string}`]: string | undefined };

const classes = (...names: (string | false | undefined)[]) => names.filter(Boolean).join(' ') || undefined;

/**
 * A list page's table. The wrapper scrolls sideways on narrow screens, so it is a focusable
 * region named by the section's heading (`labelledBy`): keyboard users can scroll it too.
 */
export function DataTable<Row>({
  columns,
  rows,
  rowKey,
  labelledBy,
  testId,
  empty,
  rowAttributes,
  foot,
}: {
  columns: readonly Column<Row>[];
  /** Undefined while loading: the empty text waits for an answer. */
  rows: readonly Row[] | undefined;
  rowKey: (row: Row, index: number) => string | number;
  labelledBy: string;
  testId?: string;
  /** Shown above the table when there are no rows. */
  empty?: string;
  rowAttributes?: (row: Row) => RowAttributes;
  /** `<tr>`s for a `<tfoot>` (totals). */
  foot?: ReactNode;
}) {
  return (
    <>
      {empty !== undefined && rows?.length === 0 ? <p className="empty">{empty}</p> : null}
      <div className="table-wrap" tabIndex={0} role="region" aria-labelledby={labelledBy}>
        <table data-testid={testId}>
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} scope="col" className={classes(c.numeric && 'num')}>
                  {c.header}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {(rows ?? []).map((row, i) => (
              <tr key={rowKey(row, i)} {...rowAttributes?.(row)}>
                {columns.map((c) => {
                  const className = classes(c.numeric && 'num', c.className);
                  return c.rowHeader ? (
                    <th key={c.key} scope="row" className={className}>
                      {c.cell(row)}
                    </th>
                  ) : (
                    <td key={c.key} className={className}>
                      {c.cell(row)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
          {foot ? <tfoot>{foot}</tfoot> : null}
        </table>
      </div>
    </>
  );
}
