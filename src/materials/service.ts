import { assertPlaceable, inScope, soleDepartment, type Actor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import { isoTime } from '../shared/time.ts';
import type { InspectedImage } from './inspect.ts';
import type { MaterialKind, MaterialUse, MaterialView } from './model.ts';
import type { MaterialRepo, MaterialRow } from './repo.ts';

/** Who uses a material: each domain that names materials answers for its own objects (the composition root lists them). */
export type MaterialUsers = (materialId: string) => Promise<MaterialUse[]>;

export interface MaterialLimits {
  /** Bytes all of the workspace's materials may take. */
  quota: number;
  /** Bytes one upload may have. */
  maxFile: number;
}

export interface MaterialContent {
  mime: string;
  sha256: string;
  data: Buffer;
}

/** A material named by another object (a code's page, a poster): the field naming it, for the refusal. */
export interface MaterialRef {
  id: string;
  field: string;
}

const MB = 1024 * 1024;
const inMb = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

/** The image library: uploads within the workspace's quota, kept in the database, served by id. */
export class MaterialService {
  constructor(
    private readonly repo: MaterialRepo,
    private readonly clock: Clock,
    private readonly publicUrl: string,
    private readonly limits: MaterialLimits,
    /** Refuses departments that do not exist (the teams domain's). */
    private readonly departments: { check(ids: readonly string[], field: string): Promise<void> },
    private readonly users: MaterialUsers,
  ) {}

  /** The public address of a material's image: no sign-in, the same bytes for good. */
  urlOf(id: string): string {
    return `${this.publicUrl}/m/${id}`;
  }

  async upload(input: { name: string; kind: MaterialKind; departmentId?: string | undefined }, image: InspectedImage, actor: Actor): Promise<MaterialView> {
    const departmentId = input.departmentId ?? soleDepartment(actor);
    assertPlaceable(actor, departmentId, 'departmentId');
    if (departmentId !== null) await this.departments.check([departmentId], 'departmentId');
    const now = this.clock.now();
    const row = {
      id: `mat_${newId(now)}`, name: input.name, kind: input.kind, mime: image.mime, size: image.data.length, width: image.width,
      height: image.height, sha256: image.sha256, department_id: departmentId, data: image.data, created_at: now, updated_at: now,
    };
    if (!(await this.repo.insertWithin(row, this.limits.quota))) {
      const used = await this.repo.used();
      const full = `the material library is full: ${inMb(used)} of ${inMb(this.limits.quota)} used`;
      throw new AppError('payload_too_large', `${full}, this image needs ${inMb(row.size)}; delete unused materials first`, 'body');
    }
    return this.get(row.id);
  }

  async list(filter: { kind?: MaterialKind | undefined; cursor?: string | undefined; limit: number }, caller: Pick<Actor, 'departments'>) {
    const rows = await this.repo.list({ ...filter, departments: caller.departments });
    const last = rows.length === filter.limit ? rows[rows.length - 1] : undefined;
    return { items: rows.map((r) => this.view(r)), nextCursor: last ? last.id : null };
  }

  async get(id: string): Promise<MaterialView> {
    return this.view(await this.load(id));
  }

  /** What a material belongs to (null: the whole workspace), or undefined when there is none. */
  async departmentOf(id: string): Promise<string | null | undefined> {
    return (await this.repo.byId(id))?.department_id;
  }

  async rename(id: string, name: string): Promise<MaterialView> {
    await this.load(id);
    await this.repo.rename(id, name, this.clock.now());
    return this.get(id);
  }

  /** Deletes a material no object uses; one in use is refused (409) naming where. */
  async remove(id: string): Promise<void> {
    await this.load(id);
    const uses = await this.users(id);
    if (uses.length > 0) {
      const where = uses.map((u) => `${u.type} ${u.name} (${u.id}) as ${u.field}`).join('; ');
      throw new AppError('conflict', `the material is in use: ${where}; stop using it there first (GET /api/v1/materials/${id}/uses lists them)`, 'id');
    }
    if (!(await this.repo.delete(id))) throw notFound('material');
  }

  uses(id: string): Promise<MaterialUse[]> {
    return this.users(id);
  }

  async usage(): Promise<{ used: number; quota: number; maxFile: number }> {
    return { used: await this.repo.used(), quota: this.limits.quota, maxFile: this.limits.maxFile };
  }

  /**
   * A material's bytes and type for a caller limited to `caller.departments` (null: all), as an
   * object of `department` (a code's; null: the workspace's) may use it: its own department's or
   * the workspace's materials. Anything else is refused with 400 naming `field`.
   */
  async content(ref: MaterialRef, caller: Pick<Actor, 'departments'>, department: string | null): Promise<MaterialContent> {
    await this.check([ref], caller, department);
    const found = await this.repo.content(ref.id);
    if (!found) throw invalid(ref.field, `no material ${ref.id} in your departments`);
    return found;
  }

  /** The same check without the bytes, for each material an object names. */
  async check(refs: readonly MaterialRef[], caller: Pick<Actor, 'departments'>, department: string | null): Promise<void> {
    for (const ref of refs) {
      const found = await this.repo.byId(ref.id);
      if (!found || !inScope(caller, found.department_id)) throw invalid(ref.field, `no material ${ref.id} in your departments`);
      this.assertUsableIn(ref, found.department_id, department);
    }
  }

  /** For the public address: any material's bytes by id, or undefined. */
  async publicContent(id: string): Promise<MaterialContent | undefined> {
    return this.repo.content(id);
  }

  private assertUsableIn(ref: MaterialRef, owner: string | null, department: string | null): void {
    if (owner !== null && owner !== department) {
      throw invalid(ref.field, `material ${ref.id} belongs to another department: use one of this department's materials or the workspace's`);
    }
  }

  private async load(id: string): Promise<MaterialRow> {
    const row = await this.repo.byId(id);
    if (!row) throw notFound('material');
    return row;
  }

  private view(r: MaterialRow): MaterialView {
    return {
      id: r.id, name: r.name, kind: r.kind as MaterialKind, mime: r.mime as MaterialView['mime'], size: Number(r.size), width: r.width, height: r.height,
      sha256: r.sha256, departmentId: r.department_id, url: this.urlOf(r.id), createdAt: isoTime(r.created_at), updatedAt: isoTime(r.updated_at),
    };
  }
}
