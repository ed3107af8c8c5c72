"""Decoding feed and page bytes with the right charset.

Arabic outlets still serve windows-1256 and ISO-8859-6, often with a missing or wrong label.
The sources of a charset, in order of trust: a byte-order mark, the HTTP Content-Type header,
the document's own declaration (XML declaration or HTML meta), then detection among the
encodings Arabic sites use. A declared charset whose decoding fails is not trusted: the next
source is tried, so a header saying "utf-8" over windows-1256 bytes still gives the right text.
Two exceptions, for labels that decode but garble: bytes that are valid UTF-8 beyond ASCII
are UTF-8 whatever the labels say, and a Latin-1 header gives way to the document's own
declaration (servers set Latin-1 as a default; documents declare what they are).
"""

from __future__ import annotations

import codecs
import re

import charset_normalizer

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
LEGACY_ARABIC_ENCODINGS = ("cp1256", "iso8859-6")  # windows-1256 first: far more common
ARABIC_LETTER = "\u0621-\u064a"
LATIN_IN_ARABIC = re.compile(f"[{ARABIC_LETTER}][\u00c0-\u00ff]|[\u00c0-\u00ff][{ARABIC_LETTER}]")
# a vowel mark after no letter, or tanween (only ever word-final) before a letter
MISPLACED_MARK = re.compile(f"(?<![{ARABIC_LETTER}\u064b-\u0652])[\u064b-\u0652]"
                            f"|[\u064b-\u064d][{ARABIC_LETTER}]")
# Servers that label everything ISO-8859-1 are common; Latin-1 decodes any bytes, so a
# Latin-1 header is only believed when the document does not declare something else.
CATCH_ALL_LABELS = {"iso-8859-1", "latin-1", "latin1", "iso8859-1", "windows-1252", "cp1252",
                    "us-ascii", "ascii"}
UTF8_LETTERS_PER_ERROR = 20
DECLARATION_WINDOW = 4096  # bytes searched for an XML declaration or a meta charset
HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
XML_DECLARATION = re.compile(rb"""^\s*<\?xml\b[^>]*?\?>""")
XML_ENCODING = re.compile(rb"""\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
META_CHARSET = re.compile(rb"""<meta\b[^>]*?charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.I)
XML_DECLARATION_TEXT = re.compile(r"""^\s*<\?xml\b[^>]*?\?>""")
ENCODING_ATTRIBUTE_TEXT = re.compile(r"""\bencoding\s*=\s*(["'])[^"']*\1""")


def decode_document(body: bytes, content_type: str | None) -> tuple[str, str]:
    """The document as text, and the name of the encoding that decoded it."""
    bom_encoding = encoding_from_bom(body)
    if bom_encoding:
        decoded = try_decode(body, bom_encoding)
        if decoded is not None:
            return decoded, bom_encoding
    if is_utf8_beyond_ascii(body):
        return body.decode("utf-8"), "utf-8"
    if (mended := utf8_with_stray_bytes(body)) is not None:
        return mended, "utf-8"
    header = charset_from_content_type(content_type)
    declared = charset_from_document(body)
    if header and _is_catch_all(header) and declared and not _same_codec(header, declared):
        header = None
    for label in (header, declared):
        decoded = try_decode(body, label) if label else None
        if decoded is not None:
            return decoded, codec_name(label)
    return detect(body)


def to_utf8_xml(body: bytes, content_type: str | None) -> bytes:
    """The document re-encoded as UTF-8, its XML declaration saying so.

    feedparser is then given only these bytes, so it no longer has to guess: it reads the
    UTF-8 the declaration announces.
    """
    text, _ = decode_document(body, content_type)
    return declare_utf8(text.lstrip("\ufeff")).encode("utf-8")


def declare_utf8(text: str) -> str:
    """The text with its XML declaration's encoding (if any) rewritten to UTF-8."""
    match = XML_DECLARATION_TEXT.match(text)
    if not match:
        return text
    declaration = ENCODING_ATTRIBUTE_TEXT.sub('encoding="utf-8"', match.group(0))
    return declaration + text[match.end():]


def is_utf8_beyond_ascii(body: bytes) -> bool:
    """Valid UTF-8 with non-ASCII bytes: then it is UTF-8, whatever a label claims.

    Legacy Arabic text is runs of bytes above 0xC0, which are never valid UTF-8, so a server
    still announcing windows-1256 after its site moved to UTF-8 cannot garble the text.
    """
    if body.isascii():
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def utf8_with_stray_bytes(body: bytes) -> str | None:
    """UTF-8 text spoilt by a few invalid bytes, with those bytes replaced (U+FFFD).

    One bad byte must not make a whole Arabic feed read as windows-1256. Legacy Arabic bytes
    read as UTF-8 give an error for nearly every letter, so a text with at least
    `UTF8_LETTERS_PER_ERROR` well-formed non-ASCII characters per error is UTF-8."""
    if body.isascii():
        return None
    text = body.decode("utf-8", errors="replace")
    errors = text.count("\ufffd") - body.decode("utf-8", errors="ignore").count("\ufffd")
    letters = sum(1 for c in text if c > "\x7f") - errors
    return text if errors and letters >= UTF8_LETTERS_PER_ERROR * errors else None


def encoding_from_bom(body: bytes) -> str | None:
    """A byte-order mark is the one label that cannot be wrong by accident."""
    for bom, encoding in BOMS:
        if body.startswith(bom):
            return encoding
    return None


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, as written."""
    match = HEADER_CHARSET.search(content_type or "")
    return match.group(1) if match else None


def charset_from_document(body: bytes) -> str | None:
    """The encoding the document declares: its XML declaration, else an HTML meta charset."""
    head = body[:DECLARATION_WINDOW]
    declaration = XML_DECLARATION.match(head)
    encoding = XML_ENCODING.search(declaration.group(0)) if declaration else None
    label = encoding or META_CHARSET.search(head)
    if not label:
        return None
    name = label.group(1).decode("ascii")
    # the declaration was read as ASCII bytes, so the document cannot be UTF-16 or UTF-32
    return None if codec_name(name).startswith(("utf-16", "utf-32")) else name


def codec_name(label: str) -> str:
    """Python's canonical name for a charset label; the label itself when unknown."""
    try:
        return codecs.lookup(label).name
    except LookupError:
        return label.lower()


def _same_codec(first: str, second: str) -> bool:
    return codec_name(first) == codec_name(second)


def _is_catch_all(label: str) -> bool:
    return label.lower() in CATCH_ALL_LABELS or codec_name(label) in {"latin-1", "cp1252", "ascii"}


def try_decode(body: bytes, label: str) -> str | None:
    """The strictly decoded text, or None when the label is unknown or the bytes do not fit."""
    try:
        return body.decode(label)
    except (LookupError, UnicodeDecodeError):
        return None


def detect(body: bytes) -> tuple[str, str]:
    """Detection: valid UTF-8 first, then the Arabic legacy encodings, then anything.

    windows-1256 decodes any bytes and ISO-8859-6 most, so a statistical detector given a
    mostly-ASCII feed with a few Arabic words may pick the wrong one (or mac_arabic, cp864).
    Of the two, the one whose Arabic reads as Arabic (`misread_arabic` finds nothing) wins;
    only when both read wrongly is charset_normalizer asked about every encoding.
    """
    decoded = try_decode(body, "utf-8")
    if decoded is not None:
        return decoded, "utf-8"
    readings = [(misread_arabic(text), order, text, encoding)
                for order, encoding in enumerate(LEGACY_ARABIC_ENCODINGS)
                if (text := try_decode(body, encoding)) is not None]
    best_arabic = min(readings, default=None)
    if best_arabic is not None and best_arabic[0] == 0:
        return best_arabic[2], best_arabic[3]
    detected = charset_normalizer.from_bytes(body).best()
    if detected is not None:
        return str(detected), codec_name(detected.encoding)
    if best_arabic is not None:
        return best_arabic[2], best_arabic[3]
    return body.decode("cp1256", errors="replace"), "cp1256"


def misread_arabic(text: str) -> int:
    """Signs of Arabic decoded with the wrong table: Latin letters inside Arabic words
    (ISO-8859-6 read as windows-1256) and vowel marks where no vowel can be (the reverse)."""
    return len(LATIN_IN_ARABIC.findall(text)) + len(MISPLACED_MARK.findall(text))
