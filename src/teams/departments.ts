import type { Clock } from '../shared/clock.ts';
import { AppError, invalid, notFound } from '../shared/errors.ts';
import { newId } from '../shared/ids.ts';
import type { DepartmentRepo, DepartmentUses } from './department-repo.ts';

const USE_NAMES: Record<keyof DepartmentUses, string> = {
  departments: 'sub-department(s)', codes: 'code(s)', staff: 'staff member(s)', materials: 'material(s)', users: 'user(s)',
  keys: 'API key(s)', webhooks: 'webhook(s)',
};

export interface DepartmentView {
  id: string;
  name: string;
  parentId: string | null;
  createdAt: string;
}

/** The departments (华东, 华南, …) that codes belong to and that keys and people can be limited to. */
export class DepartmentService {
  constructor(
    private readonly repo: DepartmentRepo,
    private readonly clock: Clock,
  ) {}

  private readonly listeners: (() => void)[] = [];

  /** Called after every committed change (staff rosters follow the tree). */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async create(name: string, parentId: string | null = null): Promise<DepartmentView> {
    if (parentId !== null) await this.check([parentId], 'parentId');
    if (await this.repo.nameTaken(name)) {
      throw new AppError('conflict', `a department named ${name} exists already`, 'name');
    }
    const now = this.clock.now();
    const row = { id: `dep_${newId(now)}`, name, parent_id: parentId, created_at: now };
    await this.repo.insert(row);
    this.changed();
    return { id: row.id, name, parentId, createdAt: new Date(now).toISOString() };
  }

  async get(id: string): Promise<DepartmentView> {
    const found = (await this.list()).find((d) => d.id === id);
    if (!found) throw notFound('department');
    return found;
  }

  async rename(id: string, name: string): Promise<DepartmentView> {
    const current = await this.get(id);
    if (current.name === name) return current;
    if (await this.repo.nameTaken(name)) throw new AppError('conflict', `a department named ${name} exists already`, 'name');
    if (!(await this.repo.rename(id, name))) throw notFound('department');
    this.changed();
    return { ...current, name };
  }

  /** Refused (409) while anything still names the department: the message says what, so it can be moved first. */
  async remove(id: string): Promise<DepartmentView> {
    const current = await this.get(id);
    const { deleted, uses } = await this.repo.removeUnused(id);
    if (!deleted) {
      const what = (Object.entries(uses) as [keyof DepartmentUses, number][]).filter(([, n]) => n > 0).map(([kind, n]) => `${n} ${USE_NAMES[kind]}`);
      if (what.length === 0) throw notFound('department');
      throw new AppError('conflict', `the department is still used by ${what.join(', ')}; move or remove them first`, 'id');
    }
    this.changed();
    return current;
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  async list(): Promise<DepartmentView[]> {
    const rows = await this.repo.all();
    return rows.map((r) => ({ id: r.id, name: r.name, parentId: r.parent_id, createdAt: new Date(r.created_at).toISOString() }));
  }

  /** Each department's parent (null at the top): the tree staff rosters are routed with. */
  async tree(): Promise<Map<string, string | null>> {
    return new Map((await this.repo.links()).map((d) => [d.id, d.parent_id]));
  }

  /** Refuses, naming `field`, any id that is not a department. */
  async check(ids: readonly string[], field: string): Promise<void> {
    if (ids.length === 0) return;
    const found = await this.repo.existing(ids);
    const unknown = ids.find((id) => !found.has(id));
    if (unknown !== undefined) throw invalid(field, `no department ${unknown}`);
  }
}
