import { inWindow, minutesOf, type LocalTime } from '../shared/local-time.ts';
import type { WelcomeMessage } from '../routing/staff-setup.ts';

/**
 * The greeting for one add: the first variant whose conditions all hold — its channel is the
 * customer's channel or one above it, the local time is in its window, the weekday is listed.
 * Null when none fits (no greeting is sent: WeCom then sends the member's default, if any).
 */
export function chooseWelcome(variants: readonly WelcomeMessage[], channelLineage: readonly string[], local: LocalTime): number | null {
  const index = variants.findIndex((v) => {
    if (v.channelIds && !v.channelIds.some((c) => channelLineage.includes(c))) return false;
    if (v.weekdays && !v.weekdays.includes(local.weekday)) return false;
    if (v.timeOfDay && !inWindow(local.minutes, minutesOf(v.timeOfDay.from), minutesOf(v.timeOfDay.to))) return false;
    return true;
  });
  return index === -1 ? null : index;
}

const linkAttachment = (l: NonNullable<WelcomeMessage['link']>) => ({
  title: l.title,
  url: l.url,
  ...(l.desc ? { desc: l.desc } : {}),
  ...(l.picUrl ? { picurl: l.picUrl } : {}),
});

/** The body of `send_welcome_msg` for a variant: text, then a link or an image. */
export function welcomeBody(welcomeCode: string, v: WelcomeMessage) {
  const attachments = [
    ...(v.link ? [{ msgtype: 'link', link: linkAttachment(v.link) }] : []),
    ...(v.imageUrl ? [{ msgtype: 'image', image: { pic_url: v.imageUrl } }] : []),
  ];
  return { welcome_code: welcomeCode, text: { content: v.text }, ...(attachments.length ? { attachments } : {}) };
}
