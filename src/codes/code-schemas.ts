import { z } from 'zod';
import { invalid } from '../shared/errors.ts';
import type { SomeCodeTypeSchema } from './code-type.ts';
import {
  commonFields,
  editableFields,
  type CodeConfig,
  type CodeType,
  type CreateCodeInput,
  type Issues,
  type NewCodeFields,
  type UpdateCodeInput,
} from './model.ts';

/**
 * The request schemas of codes, made from the registered types: every type's fields sit at the top
 * level beside the common ones, a field of another type is refused with the type it belongs to,
 * and each type checks and completes its own part.
 */
export class CodeSchemas {
  private readonly byType: ReadonlyMap<CodeType, SomeCodeTypeSchema>;
  /** Each type-specific field and the type that declares it first (that type's name is given when another type refuses it). */
  private readonly owners = new Map<string, SomeCodeTypeSchema>();
  /** Every field that belongs to a type, with its schema. */
  private readonly typeFields: Record<string, z.ZodType> = {};
  /** Every field a code may be created with; `create` adds the checks between them. */
  readonly shape;
  readonly create: z.ZodType<CreateCodeInput>;
  readonly update: z.ZodType<UpdateCodeInput>;

  constructor(readonly types: readonly SomeCodeTypeSchema[]) {
    this.byType = new Map(types.map((t) => [t.type, t]));
    for (const t of types) {
      for (const [field, schema] of Object.entries(t.fields)) {
        if (this.owners.has(field)) continue;
        this.owners.set(field, t);
        this.typeFields[field] = schema;
      }
    }
    const names = types.map((t) => t.type) as [CodeType, ...CodeType[]];
    const optional = Object.fromEntries(Object.entries(this.typeFields).map(([f, schema]) => [f, schema.optional()]));
    this.shape = z.strictObject({ ...commonFields, type: z.enum(names).default('url'), ...optional });
    this.create = this.shape
      .superRefine((c, ctx) => {
        const input = c as NewCodeFields;
        const type = this.of(input.type);
        for (const f of this.foreignTo(type)) {
          if (input[f] !== undefined) ctx.addIssue({ code: 'custom', path: [f], message: this.belongs(f) });
        }
        type.checkNew(input, ctx);
      })
      .transform((c) => {
        const input = c as NewCodeFields;
        const common = Object.fromEntries(Object.entries(input).filter(([k]) => !this.owners.has(k)));
        return { ...common, url: input.url ?? null, ...this.of(input.type).setup(input) } as CreateCodeInput;
      }) as unknown as z.ZodType<CreateCodeInput>;
    this.update = z.strictObject({ ...editableFields, ...this.typeFields }).partial() as unknown as z.ZodType<UpdateCodeInput>;
  }

  of(type: CodeType): SomeCodeTypeSchema {
    const found = this.byType.get(type);
    if (!found) throw new Error(`no schema registered for code type ${type}`);
    return found;
  }

  /** A code with an edit applied: the type's own fields go into its part, and the checks that span fields hold afterwards. */
  patched(patch: UpdateCodeInput, current: CodeConfig): CodeConfig {
    const type = this.of(current.type);
    const own: Record<string, unknown> = {};
    const common: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (key in type.fields) own[key] = value;
      else if (this.owners.has(key)) throw invalid(key, this.belongs(key));
      else common[key] = value;
    }
    return type.edit({ ...current, ...common } as CodeConfig, own) as CodeConfig;
  }

  /** A code as the API shows it: the common fields and its type's own, side by side. */
  flatten(config: CodeConfig): Record<string, unknown> {
    const type = this.of(config.type);
    const own = type.stored?.key;
    const common = Object.fromEntries(Object.entries(config).filter(([k]) => k !== own));
    return { ...common, ...type.view(config) };
  }

  private foreignTo(type: SomeCodeTypeSchema): string[] {
    return [...this.owners.keys()].filter((f) => !(f in type.fields));
  }

  private belongs(field: string): string {
    return `${field} belongs to ${this.owners.get(field)!.label}`;
  }
}

const RULES_REFUSED = 'rules send URL codes to other URLs';

/** Creating a code of a type that decides otherwise: it takes no rules. */
export function refuseRules(label: string, input: NewCodeFields, issues: Issues): void {
  if (input.rules.length > 0) issues.addIssue({ code: 'custom', path: ['rules'], message: `${label} do not take rules; ${RULES_REFUSED}` });
}

/** Editing one: the same, said the way an edit has always said it. */
export function refuseEditedRules(code: CodeConfig): void {
  if (code.rules.length > 0) throw invalid('rules', 'only URL codes take rules');
}

export function checkWindow(from: number | null, until: number | null): void {
  if (from !== null && until !== null && until <= from) throw invalid('validUntil', 'validUntil must be later than validFrom');
}
