import type { Clock } from '../shared/clock.ts';
import { newEvent, type EventSink } from '../shared/events.ts';
import type { FieldChange } from '../shared/diff.ts';
import type { Transaction } from 'kysely';
import type { Database } from '../storage/schema.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { newId, newSlug } from '../shared/ids.ts';
import type { IpRegionLookup } from '../geo/ip-region.ts';
import type { Actor } from '../shared/actor.ts';
import type { ChangeLog } from '../shared/audit-entry.ts';
import { diffConfigs } from './diff.ts';
import { restoringChanges } from './version-edit.ts';
import { codeStatus } from './lifecycle.ts';
import type { CodeBase, CodeConfig, CodeStatus, CodeType, CreateCodeInput, UpdateCodeInput } from './model.ts';
import { checkWindow } from './code-schemas.ts';
import type { CodeTypes } from './code-type.ts';
import { simulatedContext, type SimulateInput } from './simulate.ts';
import { designMaterials, type PageMaterials } from './page-design.ts';
import type { CodeRepo, ListFilter, StoredCode, VersionEntry } from './repo.ts';
import { isoTime, isoTimeOrNull } from '../shared/time.ts';

/** A code as the API shows it: the common fields and its type's own fields side by side, times as ISO strings. */
export interface CodeView extends Omit<CodeBase, 'validFrom' | 'validUntil' | 'archivedAt' | 'createdAt' | 'updatedAt'> {
  type: CodeType;
  /** The type's own fields (a staff code's members …), flattened. */
  [field: string]: unknown;
  shortUrl: string;
  status: CodeStatus;
  scanCount: number;
  validFrom: string | null;
  validUntil: string | null;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/**
 * Decides whether a change applies now or waits for approval (the teams domain's approvals): null to
 * go ahead, else what holds the change (a proposal), which is answered instead of the code.
 */
export interface ChangeGate {
  hold(code: CodeConfig, patch: UpdateCodeInput, changes: FieldChange[], actor: Actor): Promise<object | null>;
}

/**
 * What the code service is built with besides its repo: each is required, so no code service
 * exists that skips the approval rules or a type's checks.
 */
export interface CodeCollaborators {
  /** Told of every change inside its transaction (webhooks' outbox). */
  events: EventSink;
  /** Approval rules (the teams domain's). */
  gate: ChangeGate;
  /** The registered code types: their fields, checks, follow-ups and simulations. */
  types: CodeTypes;
  /** Told after every committed change, so caches on this instance drop the code before the next scan. */
  changed: (slug: string) => void;
  /** The material library, which checks the images a page design names. */
  materials: PageMaterials;
}

interface WriteOptions {
  /** The edit as sent, for the gate; absent for changes no rule guards (archive, an approved proposal). */
  patch?: UpdateCodeInput;
  /** Runs in the write's transaction (marking a proposal applied), so both happen or neither. */
  alongside?: (trx: Transaction<Database>) => Promise<void>;
  log?: ChangeLog | undefined;
}

const MAX_WRITE_ATTEMPTS = 3;

export class CodeService {
  private readonly events: EventSink;
  private readonly gate: ChangeGate;
  private readonly types: CodeTypes;
  private readonly changed: (slug: string) => void;
  private readonly materials: PageMaterials;

  constructor(
    private readonly repo: CodeRepo,
    private readonly clock: Clock,
    private readonly publicUrl: string,
    private readonly ipRegion: IpRegionLookup,
    { events, gate, types, changed, materials }: CodeCollaborators,
  ) {
    this.events = events;
    this.gate = gate;
    this.types = types;
    this.changed = changed;
    this.materials = materials;
  }

  shortUrl(slug: string): string {
    return `${this.publicUrl}/s/${slug}`;
  }

  view({ config, scanCount }: StoredCode): CodeView {
    return {
      ...(this.types.schemas.flatten(config) as Omit<CodeConfig, 'validFrom'>),
      shortUrl: this.shortUrl(config.slug),
      status: codeStatus(config, this.clock.now(), scanCount),
      scanCount,
      validFrom: isoTimeOrNull(config.validFrom),
      validUntil: isoTimeOrNull(config.validUntil),
      archivedAt: isoTimeOrNull(config.archivedAt),
      createdAt: isoTime(config.createdAt),
      updatedAt: isoTime(config.updatedAt),
    };
  }

  async create(input: CreateCodeInput, actor: Actor, log?: ChangeLog): Promise<CodeView> {
    checkWindow(input.validFrom, input.validUntil);
    const now = this.clock.now();
    for (let attempt = 0; attempt < 5; attempt++) {
      const config = { ...input, id: newId(now), slug: newSlug(), archivedAt: null, version: 1, createdAt: now, updatedAt: now } as CodeConfig;
      if (await this.repo.slugTaken(config.slug)) continue;
      await this.types.of(config).check?.(config, null, actor);
      await this.checkDesign(config, null, actor);
      try {
        await this.repo.transaction(async (trx) => {
          await this.repo.insert(trx, config);
          await this.repo.addVersion(trx, config, actor, diffConfigs(null, config));
          const created = { code: this.view({ config, scanCount: 0 }), actor: who(actor) };
          await this.events.record(trx, () => [newEvent('code.created', now, created, config.departmentId)]);
          await log?.(trx, null, this.view({ config, scanCount: 0 }));
        });
      } catch (error) {
        // Two creations drew the same slug between our check and the insert: draw again.
        if (await this.repo.slugTaken(config.slug)) continue;
        throw error;
      }
      this.changed(config.slug);
      this.types.of(config).written?.(config, null);
      return this.view({ config, scanCount: 0 });
    }
    throw new AppError('unavailable', 'could not allocate a unique slug; try again');
  }

  async get(id: string): Promise<CodeView> {
    return this.view(await this.load(id));
  }

  async list(filter: Omit<ListFilter, 'now'>): Promise<{ items: CodeView[]; nextCursor: string | null }> {
    const rows = await this.repo.list({ ...filter, now: this.clock.now() });
    const last = rows.length === filter.limit ? rows[rows.length - 1] : undefined;
    return { items: rows.map((r) => this.view(r)), nextCursor: last ? last.config.id : null };
  }

  /** The changed code, or `{ proposal }` when an approval rule holds the change. */
  update(id: string, patch: UpdateCodeInput, actor: Actor, expectedVersion?: number, log?: ChangeLog): Promise<CodeView | { proposal: object }> {
    return this.write(id, actor, expectedVersion, this.patched(patch), { patch, log });
  }

  /** Applies an approved change, only if the code is still at the version it was proposed against. */
  async applyApproved(id: string, patch: UpdateCodeInput, proposer: Actor, baseVersion: number, alongside: WriteOptions['alongside']): Promise<CodeView> {
    return (await this.write(id, proposer, baseVersion, this.patched(patch), { alongside })) as CodeView;
  }

  archive(id: string, actor: Actor, log?: ChangeLog): Promise<CodeView> {
    return this.write(id, actor, undefined, (c) => (c.archivedAt === null ? { ...c, archivedAt: this.clock.now() } : c), { log }) as Promise<CodeView>;
  }

  restore(id: string, actor: Actor, log?: ChangeLog): Promise<CodeView> {
    return this.write(id, actor, undefined, (c) => ({ ...c, archivedAt: null }), { log }) as Promise<CodeView>;
  }

  async remove(id: string, actor: Actor, log?: ChangeLog): Promise<void> {
    const stored = await this.load(id);
    const { config } = stored;
    const deleted = await this.repo.delete(id, async (trx) => {
      const deleted = { code: { id: config.id, slug: config.slug, name: config.name }, actor: who(actor) };
      await this.events.record(trx, () => [newEvent('code.deleted', this.clock.now(), deleted, config.departmentId)]);
      await log?.(trx, this.view(stored), null);
    });
    if (!deleted) throw notFound('code');
    this.changed(config.slug);
    this.types.of(config).written?.(null, config);
  }

  async versions(id: string): Promise<VersionEntry[]> {
    await this.load(id);
    return this.repo.versions(id);
  }

  /** What restoring a version of the code changes, field by field, from today's value to the version's; [] when nothing. */
  async restoringChanges(id: string, version: number): Promise<FieldChange[]> {
    const { config } = await this.load(id);
    const entry = await this.repo.version(id, version);
    if (!entry) throw notFound('version');
    return restoringChanges(entry.snapshot, config, this.types.schemas.of(config.type));
  }

  async simulate(id: string, input: SimulateInput) {
    const { config, scanCount } = await this.load(id);
    const ctx = simulatedContext(input, this.clock.now(), this.ipRegion);
    return this.types.of(config).simulate({ config, scanCount }, ctx);
  }

  /** An edit applied to a code by its type's rules, within the validity window's. */
  private patched(patch: UpdateCodeInput) {
    return (current: CodeConfig): CodeConfig => {
      const next = this.types.schemas.patched(patch, current);
      checkWindow(next.validFrom, next.validUntil);
      return next;
    };
  }

  /** Codes by id (all must exist) or, without ids, by the list filters; for batch downloads. */
  async many(ids: string[] | undefined, filter: Omit<ListFilter, 'now' | 'cursor'>): Promise<StoredCode[]> {
    if (!ids) return this.repo.list({ ...filter, now: this.clock.now() });
    const found = await this.repo.byIds(ids);
    const known = new Set(found.map((c) => c.config.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing !== undefined) throw new AppError('not_found', `code not found: ${missing}`, 'ids');
    const outside = found.find((c) => filter.departments && !(c.config.departmentId !== null && filter.departments.has(c.config.departmentId)));
    if (outside) throw new AppError('forbidden', `code ${outside.config.id} belongs to a department outside your scope`, 'ids');
    return found;
  }

  logo(id: string): Promise<{ mime: string; data: Buffer } | null> {
    return this.repo.logo(id);
  }

  async setLogo(id: string, png: Buffer): Promise<void> {
    await this.load(id);
    await this.repo.putLogo(id, 'image/png', png, this.clock.now());
  }

  async removeLogo(id: string): Promise<void> {
    if (!(await this.repo.deleteLogo(id))) throw notFound('logo');
  }

  /** Staff and region codes that name this member anywhere (roster, member rules, backup). */
  async staffCodesNaming(staffId: string): Promise<CodeConfig[]> {
    const candidates = await this.repo.codesMentioning(staffId);
    return candidates.filter((c) => JSON.stringify(this.types.schemas.of(c.type).view(c)).includes(JSON.stringify(staffId)));
  }

  /** Where codes use a material: each code whose page design names it, and the field. */
  async materialUses(materialId: string): Promise<{ type: 'code'; id: string; name: string; field: string }[]> {
    const codes = await this.repo.codesWithPageMentioning(materialId);
    return codes.flatMap((c) =>
      designMaterials(c.page).filter((m) => m.id === materialId).map((m) => ({ type: 'code' as const, id: c.id, name: c.name, field: m.field })),
    );
  }

  /**
   * A page design names only materials the caller sees and the code's department may use: checked
   * for the ones it names anew, and for all of them when the code moves department (what someone
   * else set and stays is left as it was, as with a code's staff).
   */
  private async checkDesign(next: CodeConfig, current: CodeConfig | null, actor: Actor): Promise<void> {
    const moved = current === null || current.departmentId !== next.departmentId;
    const named = new Set(designMaterials(current?.page ?? null).map((r) => r.id));
    const refs = designMaterials(next.page).filter((r) => moved || !named.has(r.id));
    if (refs.length > 0) await this.materials.check(refs, actor, next.departmentId);
  }

  /** The department a code belongs to (null: the whole workspace), or undefined when there is no such code. */
  departmentOf(id: string): Promise<string | null | undefined> {
    return this.repo.departmentOf(id);
  }

  /** For the scan path's cache: a code by its short-URL slug, or null. */
  findBySlug(slug: string): Promise<StoredCode | null> {
    return this.repo.bySlug(slug);
  }

  async load(id: string): Promise<StoredCode> {
    const found = await this.repo.byId(id);
    if (!found) throw notFound('code');
    return found;
  }

  /**
   * Read, change, write only if unchanged meanwhile (else read again), and keep the version —
   * so two people editing at once never silently undo each other.
   */
  private async write(
    id: string,
    actor: Actor,
    expectedVersion: number | undefined,
    change: (c: CodeConfig) => CodeConfig,
    options: WriteOptions = {},
  ): Promise<CodeView | { proposal: object }> {
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const { config: current, scanCount } = await this.load(id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new AppError('conflict', `the code is at version ${current.version}, not ${expectedVersion}; reload and retry`);
      }
      const draft = change(current);
      const changes = diffConfigs(current, draft);
      if (changes.length === 0) return this.view({ config: current, scanCount });
      await this.types.of(draft).check?.(draft, current, actor);
      await this.checkDesign(draft, current, actor);
      if (options.patch) {
        const proposal = await this.gate.hold(current, options.patch, changes, actor);
        if (proposal) return { proposal };
      }
      const next: CodeConfig = { ...draft, version: current.version + 1, updatedAt: Math.max(this.clock.now(), current.updatedAt) };
      const written = await this.repo.transaction(async (trx) => {
        if (!(await this.repo.update(trx, next, current.version))) return false;
        await this.repo.addVersion(trx, next, actor, changes);
        // A move is news to the department left as well as to the one joined.
        const departments =
          current.departmentId === next.departmentId ? next.departmentId : [current.departmentId, next.departmentId].filter((d) => d !== null);
        const change = { code: this.view({ config: next, scanCount }), changes, actor: who(actor) };
        await this.events.record(trx, () => [newEvent('code.changed', next.updatedAt, change, departments)]);
        await options.alongside?.(trx);
        // Logged from the version this write replaced (its update was conditional on it), never from a later read.
        await options.log?.(trx, this.view({ config: current, scanCount }), this.view({ config: next, scanCount }));
        return true;
      });
      if (written) {
        this.changed(next.slug);
        this.types.of(next).written?.(next, current);
        return this.view({ config: next, scanCount });
      }
    }
    throw new AppError('conflict', 'the code kept changing while saving; retry');
  }
}

const who = (actor: Actor) => ({ id: actor.id, name: actor.name });
