import type { WeComClient } from './client.ts';

/** WeCom keeps at most 30 characters of `state`: what ties an add event back to our code. */
export const MAX_STATE = 30;

export interface ContactWay {
  configId: string;
  qrCode: string;
}

/**
 * "联系我" for one member: a single-person contact way, so that we, not WeCom, choose who a
 * scanner reaches; `state` comes back in the add event.
 */
export class ContactWays {
  constructor(private readonly client: WeComClient) {}

  async add(userId: string, state: string, remark = ''): Promise<ContactWay> {
    if (state.length > MAX_STATE) throw new RangeError(`state must be at most ${MAX_STATE} characters`);
    const answer = await this.client.call<{ config_id: string; qr_code: string }>('/cgi-bin/externalcontact/add_contact_way', {
      type: 1, scene: 2, style: 1, remark, skip_verify: true, state, user: [userId],
    });
    return { configId: answer.config_id, qrCode: answer.qr_code };
  }

  async get(configId: string): Promise<{ configId: string; state: string; users: string[]; qrCode: string }> {
    const answer = await this.client.call<{ contact_way: { config_id: string; state: string; user: string[]; qr_code: string } }>(
      '/cgi-bin/externalcontact/get_contact_way',
      { config_id: configId },
    );
    const w = answer.contact_way;
    return { configId: w.config_id, state: w.state, users: w.user, qrCode: w.qr_code };
  }

  async update(configId: string, changes: { state?: string; remark?: string }): Promise<void> {
    if (changes.state !== undefined && changes.state.length > MAX_STATE) throw new RangeError(`state must be at most ${MAX_STATE} characters`);
    await this.client.call('/cgi-bin/externalcontact/update_contact_way', { config_id: configId, ...changes });
  }

  async remove(configId: string): Promise<void> {
    await this.client.call('/cgi-bin/externalcontact/del_contact_way', { config_id: configId });
  }
}
