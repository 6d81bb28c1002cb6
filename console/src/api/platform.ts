import type { ApiClient } from './client';
import type { CatalogVendor, DeploymentHealth, DeploymentTestResult, PublishedModel } from './types';

/** Published models, the vendor catalog and credentials, deployments and their health. */

export const listModels = async (api: ApiClient) => (await api.get<{ data: PublishedModel[] }>('/v1/models')).data;

export const getCatalog = async (api: ApiClient) => (await api.get<{ data: CatalogVendor[] }>('/admin/v1/catalog')).data;
export const setCredential = (api: ApiClient, vendor: string, apiKey: string) =>
  api.post<void>(`/admin/v1/providers/${encodeURIComponent(vendor)}/credential`, { api_key: apiKey });
export const deleteCredential = (api: ApiClient, vendor: string) => api.del<void>(`/admin/v1/providers/${encodeURIComponent(vendor)}/credential`);

export const getDeploymentHealth = async (api: ApiClient) => (await api.get<{ data: DeploymentHealth[] }>('/admin/v1/deployments/health')).data;
export const testDeployment = (api: ApiClient, id: string) => api.post<DeploymentTestResult>(`/admin/v1/deployments/${encodeURIComponent(id)}/test`);
