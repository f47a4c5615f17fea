import type { CustomerService } from '../customers/service.ts';
import type { StaffService } from '../routing/staff.ts';
import type { ScanHistory } from '../scans/history.ts';
import type { ChannelFigures } from './routes.ts';
import type { ChannelService } from './service.ts';

/** A channel report's figures: scans served through each channel, and customers added by the members of the caller's departments. */
export const channelFigures = (
  scans: Pick<ScanHistory, 'servedByChannel'>,
  customers: Pick<CustomerService, 'byChannel'>,
  staff: Pick<StaffService, 'list'>,
): ChannelFigures => ({
  scans: (range, departments) => scans.servedByChannel(range, departments),
  customers: async (from, to, departments) => customers.byChannel(from, to, departments === null ? null : (await staff.list({ departments })).map((m) => m.id)),
});

/** A channel's name and the names above it (for a new customer's tags and welcome); null when it is gone. */
export const channelLabel = (channels: Pick<ChannelService, 'get' | 'lineageOf'>) => async (id: string) => {
  const found = await channels.get(id).catch(() => null);
  return found && { name: found.name, lineage: await channels.lineageOf(id) };
};
