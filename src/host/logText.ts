/**
 * Text from a remote sender made safe for one log line: control characters (C0, DEL, C1 — newlines,
 * carriage returns, the ESC of terminal escape sequences) become visible `\xNN` escapes, backslashes are
 * doubled so an escape cannot be forged, and the result is cut to `maxChars` with a count of what was
 * cut. Nothing a sender writes can start a new log line or move a terminal's cursor.
 */
export function escapeForLog(text: string, maxChars = 300): string {
  const cut = text.length > maxChars ? text.slice(0, maxChars) : text;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  const safe = cut.replace(/[\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return text.length > maxChars ? `${safe}… (${text.length - maxChars} more characters)` : safe;
}
