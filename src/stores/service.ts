import { setImmediate as nextTurn } from 'node:timers/promises';
import { fromWgs84, toWgs84, type CoordSystem } from '../geo/coords.ts';
import { isDivisionError, resolveDivision, type Division } from '../geo/divisions.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isoTime } from '../shared/time.ts';
import type { StoreRow } from '../storage/schema.ts';
import { MAX_IMPORT_ROWS, storesToCsv, type ParsedCsv, type RowProblem } from './csv.ts';
import type { CreateStoreInput, UpdateStoreInput } from './model.ts';
import type { WorkSchedule } from '../routing/schedule.ts';
import type { StoreFilter, StoreRecord, StoreRepo } from './repo.ts';

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
  good: StoreRow[];
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

/** The staff domain, as stores need it: the department of each member that exists (absent: no such member). */
export interface StaffLookup {
  departmentsOf(ids: readonly string[]): Promise<ReadonlyMap<string, string | null>>;
}

const round = (x: number) => Math.round(x * 1e7) / 1e7;
/** Rows checked between two turns of the event loop, so scans are answered during a long import. */
const CHECK_CHUNK = 1_000;

function view(r: StoreRecord, system: CoordSystem): StoreView {
  const p = fromWgs84({ lat: r.lat, lng: r.lng }, system);
  return {
    id: r.id, name: r.name, province: r.province, provinceCode: r.province_code, city: r.city, cityCode: r.city_code, district: r.district,
    districtCode: r.district_code, address: r.address, lat: round(p.lat), lng: round(p.lng), coordSystem: system, staffIds: r.staff_ids,
    openHours: r.open_hours, attributes: r.attributes, areaTag: r.area_tag,
    createdAt: isoTime(r.created_at), updatedAt: isoTime(r.updated_at),
  };
}

/** The chain's stores: coordinates kept in WGS-84 whatever system they came in, divisions checked offline. */
export class StoreService {
  private readonly listeners: (() => void)[] = [];

  constructor(
    private readonly repo: StoreRepo,
    private readonly clock: Clock,
    private readonly staff: StaffLookup,
    private readonly csv: CsvParser,
  ) {}

  /** Called after every change, so the matcher's index is rebuilt. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async create(input: CreateStoreInput): Promise<StoreView> {
    await this.checkStaff(input.staffIds, 'staffIds');
    const row = this.toRow(input, this.clock.now());
    await this.repo.insert([row]);
    this.changed();
    return this.get(row.id, 'wgs84');
  }

  async get(id: string, system: CoordSystem): Promise<StoreView> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('store');
    return view(row, system);
  }

  async list(filter: StoreFilter, system: CoordSystem) {
    const rows = await this.repo.list(filter);
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
      staffIds: patch.staffIds ?? current.staffIds,
      openHours: (patch.openHours !== undefined ? patch.openHours : current.openHours) as CreateStoreInput['openHours'],
      attributes: patch.attributes ?? (current.attributes as CreateStoreInput['attributes']),
      areaTag: patch.areaTag !== undefined ? patch.areaTag : current.areaTag,
    };
    const { id: _id, created_at: _created, ...row } = this.toRow(merged, this.clock.now());
    await this.repo.update(id, row);
    this.changed();
    return this.get(id, 'wgs84');
  }

  async removeMany(ids: readonly string[]): Promise<{ removed: number; missing: string[] }> {
    const found = await this.repo.existing(ids);
    if (found.size > 0) await this.repo.delete([...found]);
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
    await this.repo.insert(good);
    if (good.length > 0) this.changed();
    return { total, imported: good.length, failed: problems };
  }

  private async checkParsed(parsed: ParsedCsv): Promise<CheckedImport> {
    if ('tooManyRows' in parsed) throw invalid('body', `at most ${MAX_IMPORT_ROWS.toLocaleString('en-US')} stores per import; split the file`);
    const { rows, problems, total } = parsed;
    const knownStaff = await this.staff.departmentsOf([...new Set(rows.flatMap((r) => r.store.staffIds))]);
    const now = this.clock.now();
    const good: StoreRow[] = [];
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
    const rows = await this.repo.all();
    return storesToCsv(
      rows.map((r) => {
        const v = view(r, system);
        return {
          id: v.id, name: v.name, province: v.province, city: v.city, district: v.district, address: v.address, lat: v.lat, lng: v.lng,
          staff_ids: v.staffIds.join(';'), area_tag: v.areaTag,
        };
      }),
    );
  }

  /** A leaving member's places at stores go to a colleague; the stores changed. */
  async replaceStaff(from: string, to: string): Promise<string[]> {
    const changes = new Map<string, string[]>();
    for (const r of await this.repo.mentioning(from)) {
      if (r.staff_ids.includes(from)) changes.set(r.id, [...new Set(r.staff_ids.map((id) => (id === from ? to : id)))]);
    }
    await this.repo.setStaff(changes, this.clock.now());
    if (changes.size > 0) this.changed();
    return [...changes.keys()];
  }

  /** Every store as the matcher needs it. */
  async catalog(): Promise<CatalogStore[]> {
    return (await this.repo.all()).map((r) => ({
      id: r.id, name: r.name, address: r.address, province: r.province, city: r.city, lat: r.lat, lng: r.lng,
      staffIds: r.staff_ids, attributes: r.attributes, areaTag: r.area_tag, openHours: r.open_hours,
    }));
  }

  async missing(ids: readonly string[]): Promise<string[]> {
    const found = await this.repo.existing(ids);
    return ids.filter((id) => !found.has(id));
  }

  /** Refuses, naming the field, staff ids that do not exist. */
  private async checkStaff(ids: readonly string[], field: string): Promise<void> {
    const known = await this.staff.departmentsOf(ids);
    const unknown = ids.find((id) => !known.has(id));
    if (unknown !== undefined) throw invalid(field, `no staff member ${unknown}`);
  }

  private toRow(s: CreateStoreInput, now: number): StoreRow {
    const division = resolveDivision(s.province, s.city, s.district);
    if (isDivisionError(division)) throw invalid(division.field, division.message);
    const p = toWgs84({ lat: s.lat, lng: s.lng }, s.coordSystem);
    return {
      id: `sto_${newId(now)}`, name: s.name, province: division.province, province_code: division.provinceCode, city: division.city,
      city_code: division.cityCode, district: division.district, district_code: division.districtCode, address: s.address, lat: p.lat, lng: p.lng,
      staff_ids: JSON.stringify([...new Set(s.staffIds)]),
      open_hours: s.openHours === null ? null : JSON.stringify(s.openHours), attributes: JSON.stringify(s.attributes), area_tag: s.areaTag ?? `${s.name}属地`,
      created_at: now, updated_at: now,
    };
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
