import { describe, expect, it } from 'vitest';
import { localTime } from '../shared/local-time.ts';
import type { WelcomeMessage } from '../routing/staff-setup.ts';
import { chooseWelcome, welcomeBody } from './welcome.ts';

const at = (iso: string) => localTime(Date.parse(iso), 'Asia/Shanghai');
const variants: WelcomeMessage[] = [
  { name: '大促', text: '送你一张券', channelIds: ['ch_promo'] },
  { name: '午间', text: '午间秒杀', timeOfDay: { from: '11:30', to: '13:30' } },
  { name: '夜间', text: '晚上好', timeOfDay: { from: '22:00', to: '06:00' }, weekdays: [1, 2, 3, 4, 5] },
  { name: '默认', text: '欢迎！' },
];

describe('choosing a welcome message', () => {
  it('picks by channel (sub-channels included), then time window, then the default', () => {
    expect(chooseWelcome(variants, ['ch_promo_phase', 'ch_promo'], at('2026-11-24T12:00:00+08:00'))).toBe(0);
    expect(chooseWelcome(variants, ['ch_summit'], at('2026-11-24T12:00:00+08:00'))).toBe(1);
    expect(chooseWelcome(variants, [], at('2026-11-24T23:10:00+08:00'))).toBe(2);
    expect(chooseWelcome(variants, [], at('2026-11-25T05:59:00+08:00'))).toBe(2);
    expect(chooseWelcome(variants, [], at('2026-11-28T23:10:00+08:00'))).toBe(3);
    expect(chooseWelcome(variants, [], at('2026-11-24T16:00:00+08:00'))).toBe(3);
  });

  it('sends nothing when no variant fits', () => {
    expect(chooseWelcome(variants.slice(0, 1), [], at('2026-11-24T12:00:00+08:00'))).toBeNull();
  });

  it('builds the send_welcome_msg body with a link or an image', () => {
    expect(welcomeBody('WC', { text: '白皮书', link: { title: '2026 白皮书', url: 'https://a.example/w' } })).toEqual({
      welcome_code: 'WC', text: { content: '白皮书' }, attachments: [{ msgtype: 'link', link: { title: '2026 白皮书', url: 'https://a.example/w' } }],
    });
    const image = 'https://a.example/i.png';
    expect(welcomeBody('WC', { text: 'hi', imageUrl: image }).attachments).toEqual([{ msgtype: 'image', image: { pic_url: image } }]);
    expect(welcomeBody('WC', { text: 'hi' })).toEqual({ welcome_code: 'WC', text: { content: 'hi' } });
  });
});
