import { JSONRPCErrorCode, JSONRPCErrorException } from 'json-rpc-2.0';
import type { z } from 'zod';
import { ParamError, describeIssues } from '../../engine/params.ts';

/**
 * Validates a method's params with its zod schema; a refusal is a JSON-RPC "Invalid params" error
 * naming the method, the param, the value and what was expected:
 * `setParameter: params.value: got "loud", expected number`.
 */
export function rpcParams<S extends z.ZodType>(method: string, schema: S, params: unknown): z.output<S> {
  const r = schema.safeParse(params ?? {});
  if (!r.success) {
    const issues = describeIssues(r.error, params ?? {}, (path) => (path.length ? `params.${path.join('.')}` : 'params'));
    throw new JSONRPCErrorException(`${method}: ${issues.join('; ')}`, JSONRPCErrorCode.InvalidParams, { method, issues });
  }
  return r.data;
}

/** A ParamError from the stores (unknown engine, parameter out of range, …) as an Invalid params error. */
export function asRpcError(method: string, err: unknown): never {
  if (err instanceof ParamError) {
    const where = ['engine', 'name', 'value'].includes(err.source) ? `params.${err.source}` : err.source;
    const issues = err.issues.map((i) => `${where}: ${i}`);
    throw new JSONRPCErrorException(`${method}: ${issues.join('; ')}`, JSONRPCErrorCode.InvalidParams, { method, issues });
  }
  throw err;
}
