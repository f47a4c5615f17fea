import type { z } from 'zod';
import type { CoordSystem } from '../geo/coords.ts';
import type { Actor } from '../shared/actor.ts';
import type { LocalTime } from '../shared/local-time.ts';
import type { CodeConfig, CodeOf, CodeSetups, CodeType, Issues, NewCodeFields } from './model.ts';
import type { CodeSchemas } from './code-schemas.ts';
import type { CompiledCode, Decision, Refusal, ScanContext } from './rules.ts';

/** The scanner as the scan path knows them: the visitor cookie's id, and whether they scanned this code before. */
export interface Visitor {
  id: string;
  returning: boolean;
}

/** One scan handed to a type's handler, after the code was found; `local` is computed once per scan. */
export interface TypeScan<C extends CodeConfig = CodeConfig> {
  code: CompiledCode<C>;
  ctx: ScanContext;
  local: LocalTime;
  scanCount: number;
  visitor: Visitor;
  /** False for HEAD requests and link previews: decide without taking anything. */
  record: boolean;
}

export interface Handled {
  decision: Decision;
  /** The scan was served: held by the limits and counted toward the code's cap. */
  counted: boolean;
  /** Gives back what the handler took (a member's daily add) when the scan is refused or not stored. */
  release(): Promise<void>;
}

/** A decision for a scan that is not recorded, with the reasoning a person testing the code reads. */
export interface Simulation {
  decision: Decision;
  trace: object;
}

/** How a browser is answered (a JSON client gets the decision itself); the scan route renders it. */
export type Landing =
  | { kind: 'redirect'; url: string }
  | { kind: 'contact'; name: string; avatarUrl: string | null; qrUrl: string }
  /** The location step's page; `purpose` says what the position is asked for. */
  | { kind: 'locate'; url: string; purpose: 'store' | 'destination' }
  | { kind: 'inactive'; reason: Refusal }
  /** A destination no browser could follow (see servableUrls). */
  | { kind: 'unservable' };

/** What the scanner's browser posts at the location step. */
export interface SharedLocation {
  lat?: number | undefined;
  lng?: number | undefined;
  coordSystem: CoordSystem;
  /** The scanner agreed to share their position; false when they declined (or the browser could not). */
  consent: boolean;
  /** The scan the landing page was opened by. */
  scanId?: string | undefined;
  /** The scanner picked another store on the page (when the code allows switching). */
  storeId?: string | undefined;
}

/** The location step of one scanner: what they posted and the scan context their request gives. */
export interface LocationStep {
  body: SharedLocation;
  ctx: ScanContext;
  visitor: Visitor;
}

/** Codes of a type that decide only once the scanner has shared their position (or declined). */
export interface LocationHandler<C extends CodeConfig = CodeConfig> {
  /** Whether this code asks for a location: region codes always, URL codes when a rule uses `near`. */
  asks(code: CompiledCode<C>): boolean;
  /**
   * The code becomes "seen" by the browser at the location step rather than at the scan, so rules
   * decided there meet the visitor (new or returning) as the scan did.
   */
  readonly seenAtStep: boolean;
  /** What `decide` answers, for the OpenAPI document. */
  readonly answerSchema: z.ZodType;
  /** The answer to the location step: the decision, and what else the type tells the page. */
  decide(code: CompiledCode<C>, step: LocationStep): Promise<{ decision: Decision } & Record<string, unknown>>;
}

/**
 * A code type's configuration: the fields it adds to a code (flattened at the top level of the
 * API's JSON), the checks and defaults of creating and editing one, and how it is stored. Pure,
 * so the schemas, the repo and their tests use it without the type's services.
 */
export interface CodeTypeSchema<T extends CodeType = CodeType> {
  readonly type: T;
  /** How messages name codes of this type: `members belongs to staff codes (type "staff")`. */
  readonly label: string;
  /** The fields it adds; a field two types share is declared by both with one schema. */
  readonly fields: Readonly<Record<string, z.ZodType>>;
  /**
   * Its own part (none: it adds nothing beyond the common fields): the configuration's key holding it,
   * kept as JSON in the code's `setup` column, and the schema it is read back through.
   */
  readonly stored: { key: Exclude<keyof CodeSetups[T], 'url'> & string; schema: z.ZodType } | null;
  /** Creating: the checks across its fields (foreign fields are refused before). */
  checkNew(input: NewCodeFields, issues: Issues): void;
  /** Creating, once checked: what it adds to the common fields, with its defaults filled in. */
  setup(input: NewCodeFields): Omit<CodeSetups[T], 'url'>;
  /** Editing: its own fields of the edit applied, then the checks across fields (they throw `invalid`). */
  edit(code: CodeOf<T>, own: Readonly<Record<string, unknown>>): CodeOf<T>;
  /** Its own part, flattened into the API's view of the code. */
  view(code: CodeOf<T>): Record<string, unknown>;
}

/**
 * A code type as a plug-in: everything the scan path, simulation and saving need that differs by
 * type. Implementations live with their domain (URL codes in codes/, staff codes in routing/,
 * region codes in stores/) and are registered in one place, the composition root's registry;
 * what every type shares (lookup, lifecycle, limits, recording) stays in the scan service.
 */
export interface CodeTypePlugin<T extends CodeType = CodeType> {
  readonly type: T;
  readonly schema: CodeTypeSchema<T>;
  /** Decides a scan of an active or inactive code (the handler checks the lifecycle status it serves by). */
  scan(scan: TypeScan<CodeOf<T>>): Handled | Promise<Handled>;
  /** The decision for a simulated scan, with its trace; `traceSchema` describes the trace in the OpenAPI document. */
  readonly traceSchema: z.ZodType;
  simulate(code: { config: CodeOf<T>; scanCount: number }, ctx: ScanContext): Promise<Simulation>;
  /** How a browser is answered for a decision of this type's. */
  landing(decision: Decision): Landing;
  /** The location step, for types whose codes ask for one. */
  readonly location?: LocationHandler<CodeOf<T>>;
  /** Refuses a change this type cannot take (what it names must exist; a limited caller names only its own). */
  check?(next: CodeOf<T>, previous: CodeOf<T> | null, by: Pick<Actor, 'departments'>): Promise<void>;
  /** After the commit; `next` null when the code was deleted. Must not throw. */
  written?(next: CodeOf<T> | null, previous: CodeOf<T> | null): void;
}

/**
 * A plug-in or schema of some type, as registries hold them: which type is not known statically,
 * and a lookup by a code's own type guarantees the code is of the plug-in's type.
 */
export type SomeCodeType = CodeTypePlugin<any>;
export type SomeCodeTypeSchema = CodeTypeSchema<any>;

/** The registered code types, looked up by a code's type; each type's schema is the one registered in `schemas`. */
export class CodeTypes {
  private readonly byType: ReadonlyMap<CodeType, SomeCodeType>;

  constructor(
    readonly schemas: CodeSchemas,
    plugins: readonly SomeCodeType[],
  ) {
    this.byType = new Map(plugins.map((p) => [p.type, p]));
    for (const schema of schemas.types) {
      if (this.byType.get(schema.type)?.schema !== schema) throw new Error(`code type ${schema.type}: its plug-in is missing or has another schema`);
    }
  }

  get plugins(): SomeCodeType[] {
    return [...this.byType.values()];
  }

  /** The plug-in of a code's type; a code of a type not registered here is a wiring mistake. */
  of(config: Pick<CodeConfig, 'type'>): SomeCodeType {
    const plugin = this.byType.get(config.type);
    if (!plugin) throw new Error(`no plug-in registered for code type ${config.type}`);
    return plugin;
  }
}
