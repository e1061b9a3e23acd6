"""Render text the way Telegram does: parse_mode markup to plain text plus entities.

The parsers follow the Bot API's documented HTML, MarkdownV2 and legacy Markdown styles and
reject malformed markup with error texts modelled on Telegram's ("can't parse entities: ...").
They are approximations: the goal is that markup Telegram would refuse is refused here too
(unescaped ``<`` or ``.``, unknown tags, unclosed entities), not a byte-exact clone.
"""

from __future__ import annotations

import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from .model import ApiError, JSONDict, bad_request

HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler",
        "tg-emoji", "code", "pre", "blockquote",
    }
)  # fmt: skip
_HTML_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "code": "code", "pre": "pre",
}  # fmt: skip
_CHAR_REF = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|lt|gt|amp|quot);")
_NAMED_REFS = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_COMMAND = re.compile(r"(?<!\S)/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,64})?")


def utf16_len(text: str) -> int:
    """Return the length of ``text`` in UTF-16 code units (the unit of entity offsets)."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _cant_parse(detail: str) -> ApiError:
    return bad_request(f"can't parse entities: {detail}")


def command_entities(text: str) -> list[JSONDict]:
    """Return ``bot_command`` entities for every /command in ``text``, as Telegram adds them."""
    return [
        {"type": "bot_command", "offset": utf16_len(text[: m.start()]), "length": utf16_len(m[0])}
        for m in _COMMAND.finditer(text)
    ]


@dataclass
class _Builder:
    """Accumulate rendered text and entities with UTF-16 offsets."""

    parts: list[str] = field(default_factory=list)
    offset: int = 0
    entities: list[JSONDict] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.offset += utf16_len(text)

    def entity(self, kind: str, start: int, **extra: Any) -> None:
        if self.offset > start:
            self.entities.append(
                {"type": kind, "offset": start, "length": self.offset - start}
                | {k: v for k, v in extra.items() if v is not None}
            )

    def finish(self) -> tuple[str, list[JSONDict]]:
        """Strip surrounding whitespace like Telegram and clip entities to what remains."""
        text = "".join(self.parts)
        stripped = text.strip()
        lead = utf16_len(text[: len(text) - len(text.lstrip())])
        total = utf16_len(stripped)
        result: list[JSONDict] = []
        for entity in self.entities:
            start = max(entity["offset"] - lead, 0)
            end = min(entity["offset"] + entity["length"] - lead, total)
            if end > start:
                result.append(entity | {"offset": start, "length": end - start})
        result.sort(key=lambda e: (e["offset"], -e["length"]))
        return stripped, result


def parse_html(source: str) -> tuple[str, list[JSONDict]]:
    """Parse Telegram-style HTML into plain text and entities, refusing what Telegram refuses."""
    out = _Builder()
    # Each open tag: [name, argument, utf16 start, byte offset, nested language]
    stack: list[list[Any]] = []
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        if char == "&":
            match = _CHAR_REF.match(source, i)
            if match:
                ref = match[1]
                if ref.startswith("#"):
                    code = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
                    out.add(chr(code) if 0 < code <= 0x10FFFF else "\ufffd")
                else:
                    out.add(_NAMED_REFS[ref])
                i = match.end()
                continue
        if char != "<":
            out.add(char)
            i += 1
            continue
        tag_start = i
        if i + 1 < n and source[i + 1] == "/":
            i += 2
            name_start = i
            while i < n and not source[i].isspace() and source[i] != ">":
                i += 1
            end_name = source[name_start:i].lower()
            while i < n and source[i].isspace():
                i += 1
            if i >= n or source[i] != ">":
                raise _cant_parse(
                    f"Unclosed end tag at byte offset {_byte_offset(source, tag_start)}"
                )
            if not stack:
                raise _cant_parse(
                    f"Unexpected end tag at byte offset {_byte_offset(source, tag_start)}"
                )
            name, argument, start, _, language = stack.pop()
            if end_name and end_name != name:
                raise _cant_parse(
                    f"Unmatched end tag at byte offset {_byte_offset(source, tag_start)}, "
                    f'expected "</{name}>", found "</{end_name}>"'
                )
            i += 1
            _close_html_tag(out, stack, name, argument, start, language)
            continue
        i += 1
        name_start = i
        while i < n and not source[i].isspace() and source[i] != ">":
            i += 1
        if i >= n:
            raise _cant_parse(
                f"Unclosed start tag at byte offset {_byte_offset(source, tag_start)}"
            )
        name = source[name_start:i].lower()
        if name not in HTML_TAGS:
            raise _cant_parse(
                f'Unsupported start tag "{name}" at byte offset {_byte_offset(source, tag_start)}'
            )
        attributes, i = _read_attributes(source, i, name, tag_start)
        argument = _tag_argument(name, attributes)
        if name == "span" and argument != "spoiler":
            raise _cant_parse(
                f'Tag "span" must have class "tg-spoiler" at byte offset '
                f"{_byte_offset(source, tag_start)}"
            )
        stack.append([name, argument, out.offset, _byte_offset(source, tag_start), None])
    if stack:
        raise _cant_parse(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    return out.finish()


def _read_attributes(source: str, i: int, tag: str, tag_start: int) -> tuple[dict[str, str], int]:
    """Read ``name=value`` pairs up to the closing ``>``; return them and the index after it."""
    attributes: dict[str, str] = {}
    n = len(source)
    unclosed = _cant_parse(
        f'Unclosed start tag "{tag}" at byte offset {_byte_offset(source, tag_start)}'
    )
    while True:
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if source[i] == ">":
            return attributes, i + 1
        name_start = i
        while i < n and not source[i].isspace() and source[i] not in "=>/\"'":
            i += 1
        name = source[name_start:i].lower()
        if not name:
            raise _cant_parse(
                f'Empty attribute name in the tag "{tag}" at byte offset '
                f"{_byte_offset(source, tag_start)}"
            )
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if source[i] != "=":
            attributes[name] = ""
            continue
        i += 1
        while i < n and source[i].isspace():
            i += 1
        if i >= n:
            raise unclosed
        if source[i] in "\"'":
            quote = source[i]
            end = source.find(quote, i + 1)
            if end < 0:
                raise unclosed
            value = _CHAR_REF.sub(lambda m: _NAMED_REFS.get(m[1], m[0]), source[i + 1 : end])
            i = end + 1
        else:
            value_start = i
            while i < n and (source[i].isalnum() or source[i] in ".-_"):
                i += 1
            if i < n and not source[i].isspace() and source[i] != ">":
                raise _cant_parse(
                    f"Unexpected end of name token at byte offset {_byte_offset(source, i)}"
                )
            value = source[value_start:i].lower()
        attributes[name] = value


def _tag_argument(tag: str, attributes: dict[str, str]) -> str | None:
    if tag == "a":
        return attributes.get("href")
    if tag == "code":
        css = attributes.get("class", "")
        return css.removeprefix("language-") if css.startswith("language-") else None
    if tag == "span":
        css = attributes.get("class", "")
        return css.removeprefix("tg-") if css.startswith("tg-") else None
    if tag == "tg-emoji":
        return attributes.get("emoji-id")
    if tag == "blockquote":
        return "expandable" if "expandable" in attributes else None
    return None


def _close_html_tag(
    out: _Builder,
    stack: list[list[Any]],
    name: str,
    argument: str | None,
    start: int,
    language: str | None,
) -> None:
    if name == "code" and stack and stack[-1][0] == "pre":
        # <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
        stack[-1][4] = argument
        return
    if name == "a":
        if argument:
            out.entity("text_link", start, url=argument)
    elif name == "pre":
        out.entity("pre", start, language=language)
    elif name == "blockquote":
        out.entity("expandable_blockquote" if argument else "blockquote", start)
    elif name == "tg-emoji":
        out.entity("custom_emoji", start, custom_emoji_id=argument)
    else:
        out.entity(_HTML_ENTITY_TYPES[name], start)


_MD_TYPE_NAMES = {
    "bold": "Bold", "italic": "Italic", "underline": "Underline", "strikethrough": "Strikethrough",
    "spoiler": "Spoiler", "code": "Code", "pre": "Pre", "text_link": "TextUrl",
    "custom_emoji": "CustomEmoji",
}  # fmt: skip


def parse_markdown_v2(source: str) -> tuple[str, list[JSONDict]]:
    """Parse MarkdownV2 into plain text and entities, refusing unescaped reserved characters."""
    out = _Builder()
    # Open entities: (type, utf16 start, byte offset of the marker, pre language)
    stack: list[tuple[str, int, int, str | None]] = []
    quote_start: int | None = None
    i, n = 0, len(source)
    while i < n:
        char = source[i]
        nxt = source[i + 1] if i + 1 < n else ""
        if char == "\\" and nxt and 0 < ord(nxt) <= 126:
            out.add(nxt)
            i += 2
            continue
        top = stack[-1][0] if stack else None
        special = "`" if top in ("code", "pre") else MDV2_RESERVED
        if char == "\n" and quote_start is not None and nxt != ">":
            out.entity("blockquote", quote_start)
            quote_start = None
        if char not in special:
            out.add(char)
            i += 1
            continue
        closes = {
            "bold": char == "*",
            "italic": char == "_" and nxt != "_",
            "underline": char == "_" and nxt == "_",
            "strikethrough": char == "~",
            "spoiler": char == "|" and nxt == "|",
            "code": char == "`",
            "pre": source.startswith("```", i),
            "text_link": char == "]",
            "custom_emoji": char == "]",
        }
        if top is not None and closes.get(top, False):
            kind, start, marker_at, language = stack.pop()
            i += {"underline": 2, "spoiler": 2, "pre": 3}.get(kind, 1)
            url: str | None = None
            if kind in ("text_link", "custom_emoji"):
                if i < n and source[i] == "(":
                    url, i = _read_md_url(source, i + 1)
                elif kind == "custom_emoji":
                    raise _cant_parse(
                        f"Custom emoji entity must contain a tg://emoji URL at byte offset "
                        f"{marker_at}"
                    )
            if kind == "text_link":
                if url:
                    out.entity("text_link", start, url=url)
            elif kind == "custom_emoji":
                emoji_id = (url or "").partition("id=")[2]
                out.entity("custom_emoji", start, custom_emoji_id=emoji_id or None)
            else:
                out.entity(kind, start, language=language)
            continue
        opener: tuple[str, int] | None = None
        if char == "_":
            opener = ("underline", 2) if nxt == "_" else ("italic", 1)
        elif char == "*":
            opener = ("bold", 1)
        elif char == "~":
            opener = ("strikethrough", 1)
        elif char == "|" and nxt == "|":
            opener = ("spoiler", 2)
        elif char == "[":
            opener = ("text_link", 1)
        elif char == "!" and nxt == "[":
            opener = ("custom_emoji", 2)
        elif char == "`":
            opener = ("pre", 3) if source.startswith("```", i) else ("code", 1)
        elif char == ">" and (i == 0 or source[i - 1] == "\n"):
            if quote_start is None:
                quote_start = out.offset
            i += 1
            continue
        if opener is None:
            raise _cant_parse(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        kind, width = opener
        marker_at = _byte_offset(source, i)
        i += width
        language = None
        if kind == "pre":
            # ```language\n — the language tag and the newline are not part of the text.
            line_end = source.find("\n", i)
            head = source[i:line_end] if line_end >= 0 else ""
            if line_end >= 0 and not any(c.isspace() or c == "`" for c in head):
                language = head or None
                i = line_end + 1
        stack.append((kind, out.offset, marker_at, language))
    if stack:
        kind, _, marker_at, _ = stack[-1]
        raise _cant_parse(
            f"Can't find end of {_MD_TYPE_NAMES[kind]} entity at byte offset {marker_at}"
        )
    if quote_start is not None:
        out.entity("blockquote", quote_start)
    return out.finish()


def _read_md_url(source: str, i: int) -> tuple[str, int]:
    """Read a link target after ``(`` up to the unescaped ``)``; return it and the next index."""
    start = i
    chars: list[str] = []
    while i < len(source) and source[i] != ")":
        if source[i] == "\\" and i + 1 < len(source):
            chars.append(source[i + 1])
            i += 2
            continue
        chars.append(source[i])
        i += 1
    if i >= len(source):
        raise _cant_parse(f"Can't find end of a URL at byte offset {_byte_offset(source, start)}")
    return "".join(chars), i + 1


def parse_markdown_legacy(source: str) -> tuple[str, list[JSONDict]]:
    """Parse legacy Markdown (``*bold* _italic_ `code` ```pre``` [text](url)``)."""
    out = _Builder()
    i, n = 0, len(source)
    markers = {"*": "bold", "_": "italic", "`": "code"}
    while i < n:
        char = source[i]
        if char == "\\" and i + 1 < n and source[i + 1] in "_*`[":
            out.add(source[i + 1])
            i += 2
            continue
        if char not in "*_`[":
            out.add(char)
            i += 1
            continue
        begin = _byte_offset(source, i)
        not_closed = _cant_parse(f"Can't find end of the entity starting at byte offset {begin}")
        start = out.offset
        if source.startswith("```", i):
            end = source.find("```", i + 3)
            if end < 0:
                raise not_closed
            out.add(source[i + 3 : end])
            out.entity("pre", start)
            i = end + 3
        elif char == "[":
            end = source.find("]", i + 1)
            if end < 0:
                raise not_closed
            out.add(source[i + 1 : end])
            i = end + 1
            if i < n and source[i] == "(":
                close = source.find(")", i)
                if close < 0:
                    raise not_closed
                out.entity("text_link", start, url=source[i + 1 : close])
                i = close + 1
        else:
            end = source.find(char, i + 1)
            if end < 0:
                raise not_closed
            out.add(source[i + 1 : end])
            out.entity(markers[char], start)
            i = end + 1
    return out.finish()


def render(
    text: str | None, parse_mode: str | None, entities: Any = None
) -> tuple[str, list[JSONDict]]:
    """Turn a text/caption as sent plus its parse_mode (or explicit entities) into what shows."""
    if not text:
        return "", []
    if isinstance(entities, list):
        # Explicit entities win: Telegram ignores parse_mode when they are given.
        return text, [e for e in entities if isinstance(e, dict)]
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return parse_markdown_v2(text)
    if mode == "markdown":
        return parse_markdown_legacy(text)
    if mode:
        raise bad_request(f"unsupported parse_mode {parse_mode!r}")
    return _Builder(parts=[text]).finish()


def image_size(data: bytes) -> tuple[int, int] | None:
    """Return (width, height) of a PNG, GIF, JPEG, BMP or WebP image, or None if not one."""
    try:
        if data.startswith(b"\x89PNG\r\n\x1a\n") and data[12:16] == b"IHDR":
            width, height = struct.unpack(">II", data[16:24])
            return int(width), int(height)
        if data[:6] in (b"GIF87a", b"GIF89a"):
            width, height = struct.unpack("<HH", data[6:10])
            return int(width), int(height)
        if data.startswith(b"BM"):
            width, height = struct.unpack("<ii", data[18:26])
            return int(width), abs(int(height))
        if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
            return _webp_size(data)
        if data.startswith(b"\xff\xd8"):
            return _jpeg_size(data)
    except struct.error:
        return None
    return None


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8X":
        width = int.from_bytes(data[24:27], "little") + 1
        height = int.from_bytes(data[27:30], "little") + 1
        return width, height
    if chunk == b"VP8 ":
        width, height = struct.unpack("<HH", data[26:30])
        return int(width) & 0x3FFF, int(height) & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:
            i += 1
            continue
        length = int.from_bytes(data[i + 2 : i + 4], "big")
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height = int.from_bytes(data[i + 5 : i + 7], "big")
            width = int.from_bytes(data[i + 7 : i + 9], "big")
            return width, height
        i += 2 + length
    return None


def tiny_png(width: int = 2, height: int = 2) -> bytes:
    """Build a valid grey PNG of the given size (sendPhoto refuses bytes that are no image)."""

    def chunk(kind: bytes, payload: bytes) -> bytes:
        body = kind + payload
        return struct.pack(">I", len(payload)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )
