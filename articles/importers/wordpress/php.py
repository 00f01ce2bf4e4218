"""
Read PHP's serialize() format, in which WordPress keeps array meta such as
_wp_attachment_metadata. Only plain values are read (null, booleans,
numbers, strings and arrays): an object or a reference is refused, never
built, and so is anything malformed, since an export file is an upload.
"""

from __future__ import annotations

import re
from typing import Any

# Deeper than any WordPress meta: a limit keeps a hostile file from exhausting the stack.
MAX_DEPTH = 32
# What PHP writes, and no more: int() and float() would take " 5", "1_0" or 5,000 digits.
_INTEGER = re.compile(rb"-?[0-9]{1,19}")
_FLOAT = re.compile(
    rb"-?(?:[0-9]{1,20}(?:\.[0-9]{0,40})?(?:E[+-]?[0-9]{1,3})?|INF)|NAN"
)
_COUNT = re.compile(rb"[0-9]{1,10}")


class PHPSerializeError(ValueError):
    pass


def unserialize(text: str) -> Any:
    """Return the value text serializes; arrays become dicts, keyed as in PHP."""
    data = text.encode("utf-8")  # s:N: counts bytes, not characters.
    value, end = _value(data, 0, depth=0)
    if end != len(data):
        raise PHPSerializeError(f"unexpected data at byte {end}")
    return value


def _value(data: bytes, position: int, *, depth: int) -> tuple[Any, int]:
    kind = data[position : position + 2]
    if kind == b"N;":
        return None, position + 2
    if kind == b"b:":
        raw, end = _until(data, position + 2, b";")
        if raw not in (b"0", b"1"):
            raise PHPSerializeError(f"bad boolean at byte {position}")
        return raw == b"1", end
    if kind in (b"i:", b"d:"):
        raw, end = _until(data, position + 2, b";")
        if kind == b"i:" and _INTEGER.fullmatch(raw):
            return int(raw), end
        if kind == b"d:" and _FLOAT.fullmatch(raw):
            return float(raw), end
        raise PHPSerializeError(f"bad number at byte {position}")
    if kind == b"s:":
        return _string(data, position)
    if kind == b"a:":
        if depth >= MAX_DEPTH:
            raise PHPSerializeError("arrays nested too deeply")
        return _array(data, position, depth=depth)
    raise PHPSerializeError(
        f"unsupported value {kind.decode('ascii', 'replace')!r} at byte {position}"
    )


def _until(data: bytes, position: int, end: bytes) -> tuple[bytes, int]:
    found = data.find(end, position)
    if found < 0:
        raise PHPSerializeError(f"unterminated value at byte {position}")
    return data[position:found], found + len(end)


def _string(data: bytes, position: int) -> tuple[str, int]:
    raw_length, start = _until(data, position + 2, b":")
    if not _COUNT.fullmatch(raw_length):
        raise PHPSerializeError(f"bad string length at byte {position}")
    length = int(raw_length)
    if data[start : start + 1] != b'"':
        raise PHPSerializeError(f"bad string at byte {position}")
    end = start + 1 + length
    if data[end : end + 2] != b'";':
        raise PHPSerializeError(f"string length does not match at byte {position}")
    return data[start + 1 : end].decode("utf-8", errors="replace"), end + 2


def _array(data: bytes, position: int, *, depth: int) -> tuple[dict, int]:
    raw_count, start = _until(data, position + 2, b":")
    if not _COUNT.fullmatch(raw_count) or data[start : start + 1] != b"{":
        raise PHPSerializeError(f"bad array at byte {position}")
    position = start + 1
    array: dict[int | str, Any] = {}
    for _ in range(int(raw_count)):
        key, position = _value(data, position, depth=depth + 1)
        if not isinstance(key, int | str) or isinstance(key, bool):
            raise PHPSerializeError(f"bad array key at byte {position}")
        array[key], position = _value(data, position, depth=depth + 1)
    if data[position : position + 1] != b"}":
        raise PHPSerializeError(f"array longer than it says at byte {position}")
    return array, position + 1
