import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Empty } from 'antd';
import { api, ApiError, ok } from '../../api/client.ts';
import { useMe } from '../../api/session.tsx';
import type { Channels, Me } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelTree } from '../../components/channel-tree.ts';

export type Permission = Me['permissions'][number];

/** Whether the signed-in person holds the permission: entries and buttons they cannot use are not shown. */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe().data;
  return (permission) => me?.permissions.includes(permission) ?? false;
}

/** `{name}` and the like in a message, filled in. */
export const fill = (text: string, values: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (_, key: string) => String(values[key] ?? ''));

/** A list that could not load: a refusal (403) says plainly that permission is missing, with the server's own words under it. */
export function LoadError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <Alert
      type={forbidden ? 'warning' : 'error'}
      showIcon
      data-testid="load-error"
      title={forbidden ? t.forbidden : t.loadFailed}
      description={error instanceof Error ? error.message : String(error)}
      action={onRetry && !forbidden ? <Button size="small" onClick={onRetry}>{t.retry}</Button> : undefined}
    />
  );
}

/** What a table shows with no rows: the screen's own hint. */
export const emptyText = (text: string) => <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={text} />;

/** ISO time in the console's language, or a dash. */
export const when = (iso: string | null | undefined, lang: string) => (iso ? new Date(iso).toLocaleString(lang) : '—');

/** Departments by id, for showing a name where the API gives an id. */
export function useDepartments() {
  return useQuery({ queryKey: ['departments'], queryFn: () => ok(api.GET('/api/v1/departments')) });
}

/** Staff members by id (all statuses), for names in lists. */
export function useStaff() {
  return useQuery({ queryKey: ['staff'], queryFn: () => ok(api.GET('/api/v1/staff')) });
}

type Channel = Channels['items'][number];

const channelNames = (channels: Channel[]): [string, string][] => channels.flatMap((c) => [[c.id, c.name] as [string, string], ...channelNames(c.children)]);

/** Channel names by id, for lists that carry ids. */
export function useChannelNames() {
  const channels = useQuery({ queryKey: ['channels'], queryFn: () => ok(api.GET('/api/v1/channels')) });
  return { tree: channelTree(channels.data?.items ?? []), names: new Map(channelNames(channels.data?.items ?? [])) };
}
