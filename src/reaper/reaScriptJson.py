# Part of the Studio Rig ReaScript: inserted into reaScript.template.py by reaScript.ts (not run alone).
# JSON (RFC 8259) read and written as Python's json module does, without importing it: REAPER's
# Python may be any 3.x build. Fuzzed against json in reaScript.test.ts.

class JsonError(Exception):
    pass


_WHITESPACE = " \t\n\r"
_DIGITS = "0123456789"
_HEX = "0123456789abcdefABCDEF"
_UNESCAPE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_ESCAPE = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def json_parse(text):
    """The value of a JSON document: dict, list, str, int (no fraction or exponent), float, bool, None."""
    value, i = _parse_value(text, _skip_space(text, 0))
    i = _skip_space(text, i)
    if i != len(text):
        raise JsonError("extra data at offset %d" % i)
    return value


def _skip_space(s, i):
    n = len(s)
    while i < n and s[i] in _WHITESPACE:
        i += 1
    return i


def _parse_value(s, i):
    if i >= len(s):
        raise JsonError("unexpected end of document at offset %d" % i)
    c = s[i]
    if c == "{":
        return _parse_object(s, i + 1)
    if c == "[":
        return _parse_array(s, i + 1)
    if c == '"':
        return _parse_string(s, i + 1)
    if c == "-" or c in _DIGITS:
        return _parse_number(s, i)
    for word, value in (("true", True), ("false", False), ("null", None)):
        if s.startswith(word, i):
            return value, i + len(word)
    raise JsonError("unexpected %r at offset %d" % (c, i))


def _parse_object(s, i):
    out = {}
    i = _skip_space(s, i)
    if i < len(s) and s[i] == "}":
        return out, i + 1
    while True:
        if i >= len(s) or s[i] != '"':
            raise JsonError("expected a key in double quotes at offset %d" % i)
        key, i = _parse_string(s, i + 1)
        i = _skip_space(s, i)
        if i >= len(s) or s[i] != ":":
            raise JsonError("expected ':' at offset %d" % i)
        value, i = _parse_value(s, _skip_space(s, i + 1))
        out[key] = value
        closed, i = _after_member(s, i, "}")
        if closed:
            return out, i


def _parse_array(s, i):
    out = []
    i = _skip_space(s, i)
    if i < len(s) and s[i] == "]":
        return out, i + 1
    while True:
        value, i = _parse_value(s, i)
        out.append(value)
        closed, i = _after_member(s, i, "]")
        if closed:
            return out, i


def _after_member(s, i, close):
    """After a member of an object or array: (True, index past `close`) or (False, index of the next member)."""
    i = _skip_space(s, i)
    if i < len(s) and s[i] == ",":
        return False, _skip_space(s, i + 1)
    if i < len(s) and s[i] == close:
        return True, i + 1
    raise JsonError("expected ',' or '%s' at offset %d" % (close, i))


def _hex4(s, i):
    digits = s[i:i + 4]
    if len(digits) != 4 or any(d not in _HEX for d in digits):
        raise JsonError("invalid \\u escape at offset %d" % (i - 2))
    return int(digits, 16)


def _parse_string(s, i):
    """From just after the opening quote; \\uD83D\\uDE00 pairs join into one character, lone surrogates stay."""
    n = len(s)
    parts = []
    start = i
    while True:
        if i >= n:
            raise JsonError("unterminated string starting at offset %d" % (start - 1))
        c = s[i]
        if c == '"':
            parts.append(s[start:i])
            return "".join(parts), i + 1
        if c == "\\":
            parts.append(s[start:i])
            e = s[i + 1:i + 2]
            if e == "u":
                code = _hex4(s, i + 2)
                i += 6
                if 0xD800 <= code <= 0xDBFF and s[i:i + 2] == "\\u":
                    low = _hex4(s, i + 2)
                    if 0xDC00 <= low <= 0xDFFF:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                parts.append(chr(code))
            elif e in _UNESCAPE:
                parts.append(_UNESCAPE[e])
                i += 2
            else:
                raise JsonError("invalid escape at offset %d" % i)
            start = i
        elif c < " ":
            raise JsonError("control character in a string at offset %d" % i)
        else:
            i += 1


def _digits(s, i, what):
    """The index past one or more digits starting at i; a JsonError naming `what` when there is none."""
    n = len(s)
    if i >= n or s[i] not in _DIGITS:
        raise JsonError("expected %s at offset %d" % (what, i))
    while i < n and s[i] in _DIGITS:
        i += 1
    return i


def _parse_number(s, i):
    """-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?: an int without fraction or exponent, else a float."""
    n = len(s)
    start = i
    if s[i] == "-":
        i += 1
    if i < n and s[i] == "0":
        i += 1
    else:
        i = _digits(s, i, "a digit")
    is_float = False
    if i < n and s[i] == ".":
        i = _digits(s, i + 1, "a digit after '.'")
        is_float = True
    if i < n and s[i] in "eE":
        i += 1
        if i < n and s[i] in "+-":
            i += 1
        i = _digits(s, i, "an exponent")
        is_float = True
    text = s[start:i]
    return (float(text) if is_float else int(text)), i


def json_dump(value):
    """JSON text, ASCII only (non-ASCII as \\u escapes), as json.dumps(value) writes it; NaN and infinities as null."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return "null"
        return repr(value)
    if isinstance(value, str):
        return _dump_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(json_dump(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(_dump_string(str(k)) + ": " + json_dump(v) for k, v in value.items()) + "}"
    raise JsonError("cannot write a %s as JSON" % type(value).__name__)


def _dump_string(s):
    out = ['"']
    for c in s:
        if c in _ESCAPE:
            out.append(_ESCAPE[c])
        elif " " <= c <= "~":
            out.append(c)
        else:
            code = ord(c)
            if code > 0xFFFF:
                code -= 0x10000
                out.append("\\u%04x\\u%04x" % (0xD800 + (code >> 10), 0xDC00 + (code & 0x3FF)))
            else:
                out.append("\\u%04x" % code)
    out.append('"')
    return "".join(out)
