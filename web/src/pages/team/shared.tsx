import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty, Flex, Typography } from 'antd';
import type { ReactNode } from 'react';
import { api, ApiError, ok } from '../../api/client.ts';
import { useMe } from '../../api/session.tsx';
import type { Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import type { Permission } from './types.ts';

/** What the console offers; the server still judges every request (its 403 is shown by QueryError). */
export const can = (me: Me | null | undefined, permission: Permission) => me?.permissions.includes(permission) ?? false;

/** The signed-in person (these screens render only behind sign-in). */
export const useSignedIn = (): Me => useMe().data!;

export const useDepartments = () => useQuery({ queryKey: ['departments'], queryFn: () => ok(api.GET('/api/v1/departments')) });
export const useRoles = () => useQuery({ queryKey: ['roles'], queryFn: () => ok(api.GET('/api/v1/roles')) });

/** A refused or failed load: a 403 says plainly that this person may not, anything else offers a retry. */
export function QueryError({ error, retry }: { error: Error; retry: () => void }) {
  const { t } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <Alert
      type={forbidden ? 'warning' : 'error'}
      showIcon
      title={forbidden ? t.teamForbidden : t.teamLoadFailed}
      description={error.message}
      action={forbidden ? undefined : <Button size="small" onClick={retry}>{t.retry}</Button>}
      data-testid="query-error"
    />
  );
}

/** A table's empty state in the page's words. */
export const emptyText = (text: string) => ({ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} /> });

/** Title on the left, the page's main action on the right. */
export function PageHeader({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <Flex justify="space-between" align="center" wrap gap={8}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {children}
    </Flex>
  );
}

/** Department ids as names; null means every department. */
export function departmentNames(ids: readonly string[] | null, names: Map<string, string>, all: string): string {
  return ids === null ? all : ids.map((id) => names.get(id) ?? id).join('、');
}
