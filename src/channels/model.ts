import { z } from 'zod';

// What the channels domain answers with, field by field: the OpenAPI document (and the console's types) come from these.

const channelFields = { id: z.string(), name: z.string(), code: z.string(), parentId: z.string().nullable() };
type ChannelFields = z.output<z.ZodObject<typeof channelFields>>;

interface Channel extends ChannelFields {
  children: Channel[];
}

/** A channel with its sub-channels, to any depth. */
export const channelSchema: z.ZodType<Channel> = z.object({
  ...channelFields,
  children: z.lazy(() => z.array(channelSchema)),
});

const figure = z.object({
  own: z.number().int().describe('Credited to this channel itself'),
  total: z.number().int().describe('This channel with every channel below it'),
});
type Figure = z.output<typeof figure>;

interface ChannelReport extends ChannelFields {
  scans: Figure;
  adds: Figure;
  customers: Figure;
  children: ChannelReport[];
}

/** A channel of the report: its figures (its own and with every channel below it) and its sub-channels. */
export const channelReportSchema: z.ZodType<ChannelReport> = z.object({
  ...channelFields,
  scans: figure.describe('Served scans'),
  adds: figure.describe('Contacts added'),
  customers: figure.describe("New customers, credited by the workspace's attribution model"),
  children: z.lazy(() => z.array(channelReportSchema)),
});

// Recursive, so named: the OpenAPI document holds each once and refers to it.
z.globalRegistry.add(channelSchema, { id: 'Channel' });
z.globalRegistry.add(channelReportSchema, { id: 'ChannelReport' });
