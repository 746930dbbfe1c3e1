import { type ParseError, parseTree, printParseErrorCode } from 'jsonc-parser';

/**
 * Deepest nesting of arrays and objects accepted in a configuration file (presets, scenarios, rig files,
 * engine configs). The deepest shipped file nests 5 levels; past this a file is a mistake or an attack,
 * and recursive readers (validators, error printers) would overflow the stack at a few thousand levels.
 */
export const MAX_JSON_DEPTH = 64;

/** A configuration file that is not valid JSON, placed at its line and column (1-based). */
export class JsonTextError extends Error {
  constructor(readonly file: string, readonly line: number, readonly column: number, readonly reason: string) {
    super(`${file}: invalid JSON at line ${line}, column ${column}: ${reason}`);
    this.name = 'JsonTextError';
  }
}

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Offset of the first bracket that opens level `maxDepth + 1` (strings skipped), or -1. One linear pass. */
export function excessDepthOffset(text: string, maxDepth: number): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) {
      if (++depth > maxDepth) return i;
    } else if (c === 93 || c === 125) depth--;
  }
  return -1;
}

/**
 * Parses strict JSON (no comments, no trailing commas). A syntax error or nesting deeper than `maxDepth`
 * throws a JsonTextError naming the file, line and column.
 */
export function parseJsonText(text: string, file: string, maxDepth = MAX_JSON_DEPTH): unknown {
  const deep = excessDepthOffset(text, maxDepth);
  if (deep >= 0) {
    const { line, column } = lineColumnAt(text, deep);
    throw new JsonTextError(file, line, column, `nested deeper than ${maxDepth} levels`);
  }
  try {
    return JSON.parse(text);
  } catch {
    // JSON.parse's message has no line; jsonc-parser places the first error (depth already bounded).
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    const { line, column } = lineColumnAt(text, first?.offset ?? text.length);
    throw new JsonTextError(file, line, column, first ? printParseErrorCode(first.error) : 'not a JSON value');
  }
}
