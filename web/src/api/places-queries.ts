import { useQuery } from '@tanstack/react-query';
import { api, ok } from './client.ts';

/** The members the caller may see: the pickers of staff and region codes and of stores. */
export const useStaffList = () => useQuery({ queryKey: ['staff'], queryFn: () => ok(api.GET('/api/v1/staff')) });

export const useDepartments = () => useQuery({ queryKey: ['departments'], queryFn: () => ok(api.GET('/api/v1/departments')) });

/** Stores whose name matches `q`, the first 500: a picker narrows by typing. */
export const useStoreSearch = (q: string) =>
  useQuery({ queryKey: ['stores', 'search', q], queryFn: () => ok(api.GET('/api/v1/stores', { params: { query: { limit: 500, ...(q ? { q } : {}) } } })) });
