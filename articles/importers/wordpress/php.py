"""
Read PHP's serialize() format, in which WordPress keeps array meta such as
_wp_attachment_metadata. Only plain values are read (null, booleans,
numbers, strings and arrays): an object or a reference is refused, never
built, and so is anything malformed, since an export file is an upload.

A database converted from one character set to another keeps the byte
counts of its strings (s:5:"café"; where UTF-8 needs 6), and PHP's
unserialize() then gives up on the whole value. With repair_lengths, a
string whose stated length does not end it is read up to its first closing
quote that the rest of the format can follow, as the "fix serialized
string lengths" step of WordPress migration tools does: everything else is
as strict as ever.
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


# What may follow a string's closing '";': the next key or value, or the end of its array.
_AFTER_STRING = re.compile(rb"[}]|[sidba]:|N;")


def unserialize(text: str, *, repair_lengths: bool = False) -> Any:
    """
    Return the value text serializes; arrays become dicts, keyed as in PHP.
    repair_lengths reads a string whose stated length is wrong (see above).
    """
    data = text.encode("utf-8")  # s:N: counts bytes, not characters.
    value, end = _Reader(data, repair_lengths=repair_lengths).value(0, depth=0)
    if end != len(data):
        raise PHPSerializeError(f"unexpected data at byte {end}")
    return value


class _Reader:
    def __init__(self, data: bytes, *, repair_lengths: bool) -> None:
        self.data = data
        self.repair_lengths = repair_lengths

    def value(self, position: int, *, depth: int) -> tuple[Any, int]:
        if self.data[position : position + 2] == b"s:":
            return self.string(position)
        if self.data[position : position + 2] == b"a:":
            if depth >= MAX_DEPTH:
                raise PHPSerializeError("arrays nested too deeply")
            return self.array(position, depth=depth)
        return _scalar(self.data, position)

    def string(self, position: int) -> tuple[str, int]:
        data = self.data
        raw_length, start = _until(data, position + 2, b":")
        if not _COUNT.fullmatch(raw_length):
            raise PHPSerializeError(f"bad string length at byte {position}")
        if data[start : start + 1] != b'"':
            raise PHPSerializeError(f"bad string at byte {position}")
        end = start + 1 + int(raw_length)
        if data[end : end + 2] != b'";':
            if not self.repair_lengths:
                raise PHPSerializeError(
                    f"string length does not match at byte {position}"
                )
            end = self.string_end(start + 1, position=position)
        return data[start + 1 : end].decode("utf-8", errors="replace"), end + 2

    def string_end(self, start: int, *, position: int) -> int:
        """Where a string of the wrong stated length ends: its first '";' that the format can go on from."""
        data = self.data
        candidate = data.find(b'";', start)
        while candidate >= 0:
            after = candidate + 2
            if after == len(data) or _AFTER_STRING.match(data, after):
                return candidate
            candidate = data.find(b'";', candidate + 1)
        raise PHPSerializeError(f"unterminated string at byte {position}")

    def array(self, position: int, *, depth: int) -> tuple[dict, int]:
        data = self.data
        raw_count, start = _until(data, position + 2, b":")
        if not _COUNT.fullmatch(raw_count) or data[start : start + 1] != b"{":
            raise PHPSerializeError(f"bad array at byte {position}")
        position = start + 1
        array: dict[int | str, Any] = {}
        for _ in range(int(raw_count)):
            key, position = self.value(position, depth=depth + 1)
            if not isinstance(key, int | str) or isinstance(key, bool):
                raise PHPSerializeError(f"bad array key at byte {position}")
            array[key], position = self.value(position, depth=depth + 1)
        if data[position : position + 1] != b"}":
            raise PHPSerializeError(f"array longer than it says at byte {position}")
        return array, position + 1


def _scalar(data: bytes, position: int) -> tuple[Any, int]:
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
    raise PHPSerializeError(
        f"unsupported value {kind.decode('ascii', 'replace')!r} at byte {position}"
    )


def _until(data: bytes, position: int, end: bytes) -> tuple[bytes, int]:
    found = data.find(end, position)
    if found < 0:
        raise PHPSerializeError(f"unterminated value at byte {position}")
    return data[position:found], found + len(end)
