import type { ApiClient, Query } from './client';
import type { AlertPage, RequestLogDetail, RequestLogPage, SeriesGroup, TimeseriesRow, UsageGroup, UsageReport } from './types';

/** Usage reports, time series and request logs (docs/metering.md). */

export interface UsageQuery {
  from: string;
  to: string;
  group_by?: readonly UsageGroup[];
  org_id?: string;
  key_id?: string;
}

export const getUsage = (api: ApiClient, q: UsageQuery) => api.get<UsageReport>('/admin/v1/usage', q as unknown as Query);

export async function getUsageCsv(api: ApiClient, q: UsageQuery): Promise<Blob> {
  const response = await api.fetch('/admin/v1/usage', { query: { ...(q as unknown as Query), format: 'csv' }, headers: { accept: 'text/csv' } });
  return response.blob();
}

export interface TimeseriesQuery {
  from: string;
  to: string;
  bucket: 'hour' | 'day';
  group_by: SeriesGroup;
}

export const getTimeseries = async (api: ApiClient, q: TimeseriesQuery) =>
  (await api.get<{ data: TimeseriesRow[] }>('/admin/v1/usage/timeseries', q as unknown as Query)).data;

export interface LogQuery {
  org_id?: string;
  key_id?: string;
  model?: string;
  status?: string;
  from?: string;
  to?: string;
  limit?: number;
  cursor?: string;
}

export const listLogs = (api: ApiClient, q: LogQuery) => api.get<RequestLogPage>('/admin/v1/logs', q as unknown as Query);
export const getLog = (api: ApiClient, id: string) => api.get<RequestLogDetail>(`/admin/v1/logs/${encodeURIComponent(id)}`);

/** Budget alerts (docs/limits.md), newest first; one page is enough for the console's list. */
export const listAlerts = (api: ApiClient, q: { org_id?: string; limit?: number; cursor?: string }) => api.get<AlertPage>('/admin/v1/alerts', q as unknown as Query);
