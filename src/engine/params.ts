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

/** One human sentence per zod issue: "key: got value, expected …". */
export function describeIssues(error: z.ZodError, input: unknown): string[] {
  return error.issues.map((issue) => {
    const where = formatPath(issue.path);
    if (issue.code === 'unrecognized_keys') {
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    }
    const got = JSON.stringify(valueAt(input, issue.path)) ?? 'nothing';
    if (issue.code === 'too_small' || issue.code === 'too_big') {
      const i = issue as unknown as { minimum?: number | bigint; maximum?: number | bigint; inclusive?: boolean };
      const bound = issue.code === 'too_small' ? `≥ ${String(i.minimum)}` : `≤ ${String(i.maximum)}`;
      return `${where}: got ${got}, expected a value ${i.inclusive === false ? bound.replace('≥', '>').replace('≤', '<') : bound}`;
    }
    return `${where}: got ${got}, ${issue.message.replace(/^Invalid input: /, '')}`;
  });
}

/** Validates `input` against `schema`; throws a ParamError that names `source` on failure. */
export function parseParams<S extends z.ZodType>(schema: S, input: unknown, source: string): z.output<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw new ParamError(source, describeIssues(result.error, input));
  return result.data;
}
