import type { ApiClient } from './client';
import type { ApiKey, CreatedKey, KeyLimitsInput, Me, Member, Org, OrgRole, Role, User } from './types';

/** Orgs, members, users, keys and sign-in (docs/tenancy.md). */

const A = '/admin/v1';
type List<T> = { data: T[] };

export const getMe = (api: ApiClient) => api.get<Me>(`${A}/auth/me`);
export const login = (api: ApiClient, email: string, password: string) =>
  api.post<{ user: User; orgs: OrgRole[]; expires_at: string }>(`${A}/auth/login`, { email, password });
export const logout = (api: ApiClient) => api.post<{ ok: true }>(`${A}/auth/logout`);

export const listOrgs = async (api: ApiClient) => (await api.get<List<Org>>(`${A}/orgs`)).data;
export const createOrg = (api: ApiClient, body: Partial<Omit<Org, 'id' | 'created_at' | 'updated_at'>> & { name: string }) => api.post<Org>(`${A}/orgs`, body);
export const updateOrg = (api: ApiClient, id: string, body: Partial<Omit<Org, 'id' | 'created_at' | 'updated_at'>>) => api.patch<Org>(`${A}/orgs/${id}`, body);

export const listMembers = async (api: ApiClient, orgId: string) => (await api.get<List<Member>>(`${A}/orgs/${orgId}/members`)).data;
export const addMember = (api: ApiClient, orgId: string, email: string, role: Role) => api.post<Member>(`${A}/orgs/${orgId}/members`, { email, role });
export const setMemberRole = (api: ApiClient, orgId: string, userId: string, role: Role) => api.patch<Member>(`${A}/orgs/${orgId}/members/${userId}`, { role });
export const removeMember = (api: ApiClient, orgId: string, userId: string) => api.del(`${A}/orgs/${orgId}/members/${userId}`);

export const listUsers = async (api: ApiClient) => (await api.get<List<User>>(`${A}/users`)).data;
export const createUser = (api: ApiClient, body: { email: string; name: string; password: string }) => api.post<User>(`${A}/users`, body);

export const listKeys = async (api: ApiClient, orgId: string) => (await api.get<List<ApiKey>>(`${A}/orgs/${orgId}/keys`)).data;
export const createKey = (api: ApiClient, orgId: string, body: KeyLimitsInput) => api.post<CreatedKey>(`${A}/orgs/${orgId}/keys`, body);
export const revokeKey = (api: ApiClient, keyId: string) => api.del<ApiKey>(`${A}/keys/${keyId}`);
export const rotateKey = (api: ApiClient, keyId: string) => api.post<CreatedKey>(`${A}/keys/${keyId}/rotate`);
