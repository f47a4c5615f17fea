import { z } from 'zod';
import { sharedPosition } from '../geo/coords.ts';
import { decisionSchema, ruleTraceSchema } from './decision-schema.ts';
import { invalid } from '../shared/errors.ts';
import type { CodeTypePlugin, CodeTypeSchema } from './code-type.ts';
import { landingOf } from './landing.ts';
import { askLocation, compileCode, decide, explain } from './rules.ts';

const nothing = async () => {};
const NEEDS_URL = 'a URL code needs url: where its scans go';

/** A URL code adds no fields: its url, common to all codes, is required. */
export const urlCodeSchema: CodeTypeSchema<'url'> = {
  type: 'url',
  label: 'URL codes',
  fields: {},
  stored: null,
  checkNew(input, issues) {
    if (!input.url) issues.addIssue({ code: 'custom', path: ['url'], message: NEEDS_URL });
  },
  setup: () => ({}),
  edit(code) {
    if (!code.url) throw invalid('url', NEEDS_URL);
    return code;
  },
  view: () => ({}),
};

/**
 * A URL code: a redirect to its url or to the first rule that holds. One whose rules use `near`
 * asks for the scanner's position first and decides at its location step (`near` fails without one).
 */
export const urlCodeType: CodeTypePlugin<'url'> = {
  type: 'url',
  schema: urlCodeSchema,
  scan({ code, ctx, local, scanCount }) {
    const decision = code.byPosition ? askLocation(code.config, ctx.now, scanCount) : decide(code, ctx, { scanCount }, local);
    return { decision, counted: decision.action !== 'inactive', release: nothing };
  },
  traceSchema: ruleTraceSchema,
  simulate: async ({ config, scanCount }, ctx) => explain(compileCode(config), ctx, { scanCount }),
  landing: (decision) => landingOf(decision, 'destination'),
  location: {
    asks: (code) => code.byPosition,
    answerSchema: z.object({ decision: decisionSchema }).describe('A URL code whose rules use `near`: where it sends the scanner'),
    seenAtStep: true,
    // Caps and limits were applied when the page was scanned; here only the code's own state counts.
    decide: async (code, { body, ctx }) => ({ decision: decide(code, { ...ctx, location: sharedPosition(body) }, { scanCount: 0 }) }),
  },
};
