import type { MaterialKind } from '../../api/places-types.ts';
import type { Messages } from '../../i18n/messages.ts';

const KINDS: Record<MaterialKind, keyof Messages> = { logo: 'kindLogo', poster: 'kindPoster', page: 'kindPage', welcome: 'kindWelcome' };
export const MATERIAL_KINDS = Object.keys(KINDS) as MaterialKind[];

export const kindText = (t: Messages, kind: MaterialKind) => t[KINDS[kind]];
