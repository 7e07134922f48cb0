"""Bytes to text, or a reason why not: binary, empty, too large, mixed or unknown encodings."""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Unreadable", "decode_bytes", "read_text_file"]

# Control characters other than tab/newline/carriage return/form feed mark binary content.
_TEXT_CONTROLS = {9, 10, 12, 13}
_BINARY_CONTROL_SHARE = 0.02


@dataclass(frozen=True)
class Unreadable:
    """Why some bytes are not usable text."""

    reason: str


def decode_bytes(data: bytes) -> str | Unreadable:
    """Decoded text, or an `Unreadable` saying why these bytes are not text.

    Order: 1. BOM (UTF-8/16/32)  2. UTF-16 without a BOM (NUL bytes in every other place, as
    Latin text in UTF-16 has), else NUL bytes mean binary  3. strict UTF-8  4. Windows-1252, only
    when no valid UTF-8 multi-byte sequence is present (otherwise the file mixes encodings and any
    guess would corrupt part of it).
    """
    if not data.strip():
        return Unreadable("empty file")
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _check_text(data.decode(codec))
            except UnicodeDecodeError:
                return Unreadable(f"invalid {codec} despite its byte-order mark")
    if b"\x00" in data[:8192]:
        if (wide := _bomless_utf16(data)) is not None:
            try:
                return _check_text(data.decode(wide))
            except UnicodeDecodeError:
                pass
        return Unreadable("binary file (NUL bytes)")
    try:
        return _check_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        pass
    if _has_utf8_multibyte(data):
        return Unreadable("mixed encodings (valid UTF-8 sequences next to invalid bytes)")
    try:
        return _check_text(data.decode("cp1252"))
    except UnicodeDecodeError:
        return Unreadable("unknown encoding (neither UTF-8 nor Windows-1252)")


def _bomless_utf16(data: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the NUL bytes of `data` sit in the odd/even places only, as in
    UTF-16 text of mostly Latin letters; None otherwise."""
    sample = data[:8192] if len(data) % 2 == 0 else data[:8191]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2 or 1
    if odd > 0.3 * half and even < 0.01 * half:
        return "utf-16-le"
    if even > 0.3 * half and odd < 0.01 * half:
        return "utf-16-be"
    return None


def _check_text(text: str) -> str | Unreadable:
    if not text.strip():
        return Unreadable("empty file")
    sample = text[:20000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS)
    if controls > _BINARY_CONTROL_SHARE * len(sample):
        return Unreadable("binary file (control characters)")
    if sample.count("\ufffd") > 0.01 * len(sample) + 2:
        return Unreadable("text already corrupted by a wrong decoding (replacement characters)")
    return text


def _has_utf8_multibyte(data: bytes) -> bool:
    """True when `data` holds at least one well-formed UTF-8 sequence of 2-4 bytes."""
    i, n = 0, len(data)
    while i < n:
        byte = data[i]
        if byte < 0x80:
            i += 1
            continue
        length = (2 if 0xC2 <= byte <= 0xDF else 3 if 0xE0 <= byte <= 0xEF
                  else 4 if 0xF0 <= byte <= 0xF4 else 0)
        if length and i + length <= n:
            try:
                data[i:i + length].decode("utf-8")
                return True
            except UnicodeDecodeError:
                pass
        i += 1
    return False


def read_text_file(path: Path, max_bytes: int) -> str | Unreadable:
    """The decoded text of `path`, or why it cannot be read as text."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Unreadable(f"file too large ({size} bytes > limit {max_bytes})")
        data = path.read_bytes()
    except OSError as err:
        return Unreadable(f"cannot read file: {err.strerror or err}")
    return decode_bytes(data)
