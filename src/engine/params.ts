import { z } from 'zod';

/** A parameter or configuration error at the boundary: names the source, the key, the value and what was allowed. */
export class ParamError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly string[],
  ) {
    super(`${source}: ${issues.join('; ')}`);
    this.name = 'ParamError';
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = input;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/** Longest echo of an input value in a message: enough to recognise it, never the whole input. */
export const MAX_ECHO_CHARS = 60;

/**
 * A short, bounded rendering of an input value for an error message: JSON up to `maxChars`, then "…"
 * and what was cut; nesting past 4 levels shown as "…" (a hostile value cannot overflow the stack).
 */
export function previewValue(value: unknown, maxChars = MAX_ECHO_CHARS): string {
  if (value === undefined) return 'nothing';
  const text = boundedJson(value, 4, maxChars + 1);
  if (text.length <= maxChars) return text;
  const what = Array.isArray(value) ? `an array of ${value.length}` : typeof value === 'string' ? `${value.length} characters` : 'cut';
  return `${text.slice(0, maxChars)}… (${what})`;
}

function boundedJson(v: unknown, depth: number, budget: number): string {
  if (v === null || typeof v !== 'object') {
    return JSON.stringify(typeof v === 'string' ? v.slice(0, budget) : v) ?? String(v);
  }
  if (depth === 0) return Array.isArray(v) ? '[…]' : '{…}';
  const parts: string[] = [];
  let used = 2;
  const entries = Array.isArray(v) ? v.map((x) => ['', x] as const) : Object.entries(v);
  for (const [k, x] of entries) {
    if (used > budget) break;
    const part = `${Array.isArray(v) ? '' : `${JSON.stringify(k)}:`}${boundedJson(x, depth - 1, budget - used)}`;
    parts.push(part);
    used += part.length + 1;
  }
  return Array.isArray(v) ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}

type Issue = z.ZodError['issues'][number];

/** The expectation of one issue, in words ("expected a value ≤ 15", "expected one of "a", "b""). */
function expectation(issue: Issue): string {
  if (issue.code === 'too_small' || issue.code === 'too_big') {
    const i = issue as unknown as { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean; origin?: string };
    const bound = issue.code === 'too_small' ? `${i.inclusive === false ? '>' : '≥'} ${String(i.minimum)}` : `${i.inclusive === false ? '<' : '≤'} ${String(i.maximum)}`;
    const unit = i.origin === 'array' ? 'a length' : i.origin === 'string' ? 'a length' : 'a value';
    return `expected ${unit} ${bound}`;
  }
  const options = issue.code === 'invalid_union' && 'options' in issue ? issue.options : undefined;
  if (issue.code === 'invalid_union' && options?.length) {
    return `expected ${issue.discriminator ? `"${issue.discriminator}" to be ` : ''}one of ${options.map((o) => JSON.stringify(o)).join(', ')}`;
  }
  // zod's own words without its prefix and without "received …" (the value itself is quoted instead).
  return issue.message.replace(/^Invalid (input|option|value): /, '').replace(/, received \w+$/, '');
}

/**
 * The issues that explain a failed plain union best: those of the branch that got furthest into the
 * input (the longest path), e.g. "channel: got 16, expected a value ≤ 15" rather than "Invalid input".
 */
function unionBranchIssues(issue: Issue): Issue[] | null {
  if (issue.code !== 'invalid_union' || !issue.errors?.length) return null;
  const depth = (issues: readonly Issue[]) => Math.max(...issues.map((i) => i.path.length));
  const best = [...issue.errors].sort((a, b) => depth(b) - depth(a))[0];
  return best.map((i) => ({ ...i, path: [...issue.path, ...i.path] }) as Issue);
}

/**
 * One human sentence per zod issue: "key: got value, expected …" (the value cut to a readable length).
 * `where` writes the path (default "a.b[2]"; rig files use "$.a.b[2]").
 */
export function describeIssues(error: z.ZodError, input: unknown, where: (path: readonly PropertyKey[]) => string = formatPath): string[] {
  return describeIssueList(error.issues, input, where);
}

function describeIssueList(issues: readonly Issue[], input: unknown, formatWhere: (path: readonly PropertyKey[]) => string): string[] {
  return issues.flatMap((issue) => {
    const branch = unionBranchIssues(issue);
    if (branch) return describeIssueList(branch, input, formatWhere);
    const where = formatWhere(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return [`${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k.length > 40 ? `${k.slice(0, 40)}…` : k}"`).join(', ')}`];
    }
    return [`${where}: got ${previewValue(valueAt(input, issue.path))}, ${expectation(issue)}`];
  });
}

/** Validates `input` against `schema`; throws a ParamError that names `source` on failure. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ParamError(source, describeIssues(result.error, input));
  return result.data;
}
