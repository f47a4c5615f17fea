import { z } from 'zod';

// What the wecom domain answers with, field by field: the OpenAPI document (and the console's types) come from these.

/** The WeCom connection as the API shows it: never its secrets, only whether they are set. */
export const wecomSettingsViewSchema = z.object({
  corpId: z.string(),
  apiBase: z.string(),
  secretSet: z.boolean(),
  callbackSet: z.boolean().describe('Whether the callback token and EncodingAESKey are set'),
  updatedAt: z.string(),
});
