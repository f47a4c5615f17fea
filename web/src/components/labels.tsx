import { Tag } from 'antd';
import type { Code, CodeStatus, CodeType } from '../api/types.ts';
import type { Messages } from '../i18n/messages.ts';

const STATUS: Record<CodeStatus, [keyof Messages, string]> = {
  active: ['statusActive', 'green'],
  paused: ['statusPaused', 'orange'],
  scheduled: ['statusScheduled', 'blue'],
  ended: ['statusEnded', 'default'],
  limit_reached: ['statusLimit', 'red'],
  archived: ['statusArchived', 'default'],
};
export const STATUSES = Object.keys(STATUS) as CodeStatus[];

export const statusText = (t: Messages, status: CodeStatus) => t[STATUS[status][0]];

export function StatusTag({ t, status }: { t: Messages; status: CodeStatus }) {
  return <Tag color={STATUS[status][1]}>{statusText(t, status)}</Tag>;
}

const TYPES: Record<string, keyof Messages> = { url: 'typeUrl', staff: 'typeStaff', region: 'typeRegion' };
/** The types the list can be filtered by; the API's enum makes a type named here that it lacks an error. */
export const CODE_TYPES: CodeType[] = ['url', 'staff', 'region'];

/** A type added later shows by its API name until it has words here. */
export const typeText = (t: Messages, type: Code['type']) => (TYPES[type] ? t[TYPES[type]] : type);

/** The operating systems rules and tests choose from (the API's enum), and how each reads. */
export const OS_NAMES = ['ios', 'android', 'harmonyos', 'windows', 'macos', 'other'] as const;
const OS_WORDS: Record<string, string> = { ios: 'iOS', android: 'Android', harmonyos: 'HarmonyOS', windows: 'Windows', macos: 'macOS' };
export const osText = (t: Messages, os: string) => (os === 'other' ? t.osOther : (OS_WORDS[os] ?? os));
export const osOptions = (t: Messages) => OS_NAMES.map((os) => ({ value: os, label: osText(t, os) }));
