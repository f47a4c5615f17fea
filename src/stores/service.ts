import { setImmediate as nextTurn } from 'node:timers/promises';
import type { Kysely } from 'kysely';
import { fromWgs84, toWgs84, type CoordSystem } from '../geo/coords.ts';
import { isDivisionError, resolveDivision, type Division } from '../geo/divisions.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isoTime } from '../shared/time.ts';
import type { Database, StoreRow } from '../storage/schema.ts';
import { bumpRevision } from '../storage/revisions.ts';
import { MAX_IMPORT_ROWS, storesToCsv, type ParsedCsv, type RowProblem } from './csv.ts';
import type { CreateStoreInput, UpdateStoreInput } from './model.ts';
import type { WorkSchedule } from '../routing/schedule.ts';

/** A store as the API shows it: its division with names and codes, coordinates in the system asked for. */
export interface StoreView extends Division {
  id: string;
  name: string;
  address: string;
  lat: number;
  lng: number;
  coordSystem: CoordSystem;
  staffIds: string[];
  openHours: unknown;
  attributes: Record<string, unknown>;
  areaTag: string;
  createdAt: string;
  updatedAt: string;
}

/** What the matcher keeps of every store, in memory. */
export interface CatalogStore {
  id: string;
  name: string;
  address: string;
  province: string;
  city: string;
  lat: number;
  lng: number;
  staffIds: string[];
  attributes: Record<string, unknown>;
  areaTag: string;
  /** Null: always open. */
  openHours: WorkSchedule | null;
}

/** An import parsed and checked, not yet written. */
export interface CheckedImport {
  good: ReturnType<StoreService['toRow']>[];
  problems: ImportReport['failed'];
  total: number;
}

export interface ImportReport {
  total: number;
  imported: number;
  failed: RowProblem[];
}

/** Parses store CSV off the event loop (workers/pool.ts), a bounded number of jobs at once. */
export interface CsvParser {
  /** Admits one import of the caller, or refuses it with 429/503 and Retry-After; call the result when done. */
  admit(caller: string): () => void;
  parse(text: string, system: CoordSystem): Promise<ParsedCsv>;
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;
const INSERT_CHUNK = 200;
/** Rows checked between two turns of the event loop, so scans are answered during a long import. */
const CHECK_CHUNK = 1_000;

function view(r: StoreRow, system: CoordSystem): StoreView {
  const p = fromWgs84({ lat: r.lat, lng: r.lng }, system);
  return {
    id: r.id, name: r.name, province: r.province, provinceCode: r.province_code, city: r.city, cityCode: r.city_code, district: r.district,
    districtCode: r.district_code, address: r.address, lat: round(p.lat), lng: round(p.lng), coordSystem: system, staffIds: JSON.parse(r.staff_ids),
    openHours: r.open_hours === null ? null : JSON.parse(r.open_hours), attributes: JSON.parse(r.attributes), areaTag: r.area_tag,
    createdAt: isoTime(r.created_at), updatedAt: isoTime(r.updated_at),
  };
}

/** The chain's stores: coordinates kept in WGS-84 whatever system they came in, divisions checked offline. */
export class StoreService {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    /** Refuses, naming the field, staff ids that do not exist. */
    private readonly checkStaff: (ids: readonly string[], field: string) => Promise<void>,
    private readonly csv: CsvParser,
  ) {}

  /** Called after every change, so the matcher's index is rebuilt. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async create(input: CreateStoreInput): Promise<StoreView> {
    await this.checkStaff(input.staffIds, 'staffIds');
    const row = this.toRow(input, this.clock.now());
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('stores').values(row).execute();
      await bumpRevision(trx, 'stores');
    });
    this.changed();
    return this.get(row.id, 'wgs84');
  }

  async get(id: string, system: CoordSystem): Promise<StoreView> {
    const row = await this.db.selectFrom('stores').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('store');
    return view(row, system);
  }

  async list(filter: { q?: string | undefined; province?: string | undefined; city?: string | undefined; limit: number; cursor?: string | undefined }, system: CoordSystem) {
    let query = this.db.selectFrom('stores').selectAll().orderBy('id').limit(filter.limit);
    if (filter.q) query = query.where('name', 'like', `%${filter.q.replace(/[\\%_]/g, '')}%`);
    if (filter.province) query = query.where('province', '=', filter.province);
    if (filter.city) query = query.where('city', '=', filter.city);
    if (filter.cursor) query = query.where('id', '>', filter.cursor);
    const rows = await query.execute();
    return { items: rows.map((r) => view(r, system)), nextCursor: rows.length === filter.limit ? rows.at(-1)!.id : null };
  }

  async update(id: string, patch: UpdateStoreInput): Promise<StoreView> {
    const current = await this.get(id, 'wgs84');
    if (patch.staffIds) await this.checkStaff(patch.staffIds, 'staffIds');
    const system = patch.coordSystem ?? 'wgs84';
    const merged: CreateStoreInput = {
      name: patch.name ?? current.name, province: patch.province ?? current.province, city: patch.city ?? current.city,
      district: patch.district !== undefined ? patch.district : current.district, address: patch.address ?? current.address,
      lat: patch.lat ?? current.lat, lng: patch.lng ?? current.lng, coordSystem: patch.lat !== undefined ? system : 'wgs84',
      staffIds: patch.staffIds ?? current.staffIds, openHours: (patch.openHours !== undefined ? patch.openHours : current.openHours) as CreateStoreInput['openHours'],
      attributes: patch.attributes ?? (current.attributes as CreateStoreInput['attributes']), areaTag: patch.areaTag !== undefined ? patch.areaTag : current.areaTag,
    };
    const { id: _id, created_at: _created, ...row } = this.toRow(merged, this.clock.now());
    await this.db.transaction().execute(async (trx) => {
      await trx.updateTable('stores').set(row).where('id', '=', id).execute();
      await bumpRevision(trx, 'stores');
    });
    this.changed();
    return this.get(id, 'wgs84');
  }

  async removeMany(ids: readonly string[]): Promise<{ removed: number; missing: string[] }> {
    const found = new Set((await this.db.selectFrom('stores').select('id').where('id', 'in', [...ids]).execute()).map((r) => r.id));
    if (found.size > 0) {
      await this.db.transaction().execute(async (trx) => {
        await trx.deleteFrom('stores').where('id', 'in', [...found]).execute();
        await bumpRevision(trx, 'stores');
      });
    }
    this.changed();
    return { removed: found.size, missing: ids.filter((id) => !found.has(id)) };
  }

  /**
   * Stores from a CSV: every row checked (schema, divisions, staff) and reported by row number;
   * nothing is written when any row is wrong, unless `partial`, which writes the good rows.
   */
  /**
   * An import's slow part: parsed off the event loop and every row checked, nothing written. Kept
   * apart from `importChecked`, so a caller's transaction holds only the writes.
   */
  async checkImport(caller: string, text: string, system: CoordSystem): Promise<CheckedImport> {
    const release = this.csv.admit(caller);
    try {
      return await this.checkParsed(await this.csv.parse(text, system));
    } finally {
      release();
    }
  }

  /** Writes a checked import: every good row, or (unless `partial`) none when any row is wrong. */
  async importChecked({ good, problems, total }: CheckedImport, partial: boolean): Promise<ImportReport> {
    if (problems.length > 0 && !partial) return { total, imported: 0, failed: problems };
    await this.db.transaction().execute(async (trx) => {
      for (let i = 0; i < good.length; i += INSERT_CHUNK) await trx.insertInto('stores').values(good.slice(i, i + INSERT_CHUNK)).execute();
      await bumpRevision(trx, 'stores');
    });
    if (good.length > 0) this.changed();
    return { total, imported: good.length, failed: problems };
  }

  private async checkParsed(parsed: ParsedCsv): Promise<CheckedImport> {
    if ('tooManyRows' in parsed) throw invalid('body', `at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} stores per import; split the file`);
    const { rows, problems, total } = parsed;
    const knownStaff = new Set((await this.db.selectFrom('staff').select('id').execute()).map((r) => r.id));
    const now = this.clock.now();
    const good: ReturnType<StoreService['toRow']>[] = [];
    for (const [i, { row, store }] of rows.entries()) {
      if (i % CHECK_CHUNK === CHECK_CHUNK - 1) await nextTurn();
      const unknown = store.staffIds.find((s) => !knownStaff.has(s));
      if (unknown) {
        problems.push({ row, field: 'staff_ids', reason: `no staff member ${unknown}` });
        continue;
      }
      try {
        good.push(this.toRow(store, now));
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        problems.push({ row, field: error.field ?? 'row', reason: error.message });
      }
    }
    problems.sort((a, b) => a.row - b.row);
    return { good, problems, total };
  }

  async export(system: CoordSystem): Promise<string> {
    const rows = await this.db.selectFrom('stores').selectAll().orderBy('id').execute();
    return storesToCsv(
      rows.map((r) => {
        const v = view(r, system);
        return { id: v.id, name: v.name, province: v.province, city: v.city, district: v.district, address: v.address, lat: v.lat, lng: v.lng, staff_ids: v.staffIds.join(';'), area_tag: v.areaTag };
      }),
    );
  }

  /** A leaving member's places at stores go to a colleague; the stores changed. */
  async replaceStaff(from: string, to: string): Promise<string[]> {
    const rows = await this.db.selectFrom('stores').select(['id', 'staff_ids']).where('staff_ids', 'like', `%${from}%`).execute();
    const changed: string[] = [];
    await this.db.transaction().execute(async (trx) => {
      for (const r of rows) {
        const ids = JSON.parse(r.staff_ids) as string[];
        if (!ids.includes(from)) continue;
        const next = [...new Set(ids.map((id) => (id === from ? to : id)))];
        await trx.updateTable('stores').set({ staff_ids: JSON.stringify(next), updated_at: this.clock.now() }).where('id', '=', r.id).execute();
        changed.push(r.id);
      }
      if (changed.length > 0) await bumpRevision(trx, 'stores');
    });
    if (changed.length > 0) this.changed();
    return changed;
  }

  /** Every store as the matcher needs it. */
  async catalog(): Promise<CatalogStore[]> {
    const rows = await this.db.selectFrom('stores').selectAll().execute();
    return rows.map((r) => ({
      id: r.id, name: r.name, address: r.address, province: r.province, city: r.city, lat: r.lat, lng: r.lng,
      staffIds: JSON.parse(r.staff_ids), attributes: JSON.parse(r.attributes), areaTag: r.area_tag, openHours: r.open_hours === null ? null : JSON.parse(r.open_hours),
    }));
  }

  async missing(ids: readonly string[]): Promise<string[]> {
    const found = new Set<string>();
    for (let i = 0; i < ids.length; i += 500) {
      for (const r of await this.db.selectFrom('stores').select('id').where('id', 'in', ids.slice(i, i + 500)).execute()) found.add(r.id);
    }
    return ids.filter((id) => !found.has(id));
  }

  private toRow(s: CreateStoreInput, now: number) {
    const division = resolveDivision(s.province, s.city, s.district);
    if (isDivisionError(division)) throw invalid(division.field, division.message);
    const p = toWgs84({ lat: s.lat, lng: s.lng }, s.coordSystem);
    return {
      id: `sto_${newId(now)}`, name: s.name, province: division.province, province_code: division.provinceCode, city: division.city, city_code: division.cityCode,
      district: division.district, district_code: division.districtCode, address: s.address, lat: p.lat, lng: p.lng, staff_ids: JSON.stringify([...new Set(s.staffIds)]),
      open_hours: s.openHours === null ? null : JSON.stringify(s.openHours), attributes: JSON.stringify(s.attributes), area_tag: s.areaTag ?? `${s.name}属地`,
      created_at: now, updated_at: now,
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
