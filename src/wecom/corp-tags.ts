import { WeComError, type WeComClient } from './client.ts';

/** Our tags live in one corp tag group, so they are easy to find (and to tell from the corp's own) in WeCom. */
export const TAG_GROUP = '活码';
const TAG_EXISTS = 40071;

type TagList = {
  tag_group: { group_name: string; tag: { id: string; name: string }[] }[];
};

/** Tag names → WeCom corp tag ids, creating the tags that do not exist yet. */
export class CorpTags {
  private readonly ids = new Map<string, string>();

  async idsFor(client: WeComClient, names: readonly string[]): Promise<string[]> {
    if (names.some((n) => !this.ids.has(n))) await this.refresh(client);
    const missing = names.filter((n) => !this.ids.has(n));
    if (missing.length > 0) {
      try {
        const made = await client.call<{ tag_group: { tag: { id: string; name: string }[] } }>('/cgi-bin/externalcontact/add_corp_tag', {
          group_name: TAG_GROUP, tag: missing.map((name) => ({ name })),
        });
        for (const t of made.tag_group.tag) this.ids.set(t.name, t.id);
      } catch (error) {
        // Someone made one of them meanwhile (another instance, or a person in WeCom): read them again.
        if (!(error instanceof WeComError && error.code === TAG_EXISTS)) throw error;
        await this.refresh(client);
      }
    }
    return names.flatMap((n) => (this.ids.has(n) ? [this.ids.get(n)!] : []));
  }

  private async refresh(client: WeComClient): Promise<void> {
    const list = await client.call<TagList>('/cgi-bin/externalcontact/get_corp_tag_list', {});
    for (const group of list.tag_group) if (group.group_name === TAG_GROUP) for (const t of group.tag) this.ids.set(t.name, t.id);
  }
}
