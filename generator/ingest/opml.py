"""OPML 1.0/2.0 import and export of sources, the format every feed reader exchanges.

An OPML file is untrusted input: its bytes are decoded like a feed (charset.py), and any
DOCTYPE or ENTITY declaration is refused before parsing, so entity-expansion attacks
("billion laughs") and external entities never reach the XML parser.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..model import Source
from .charset import to_utf8_xml
from .parse import one_line

DEFAULT_SECTION = "عام"
DEFAULT_LANGUAGE = "ar"
FORBIDDEN_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.I)


class OpmlError(Exception):
    """The OPML file cannot be read; the message is one line naming the file and the problem."""


@dataclass(frozen=True)
class SkippedOutline:
    """A feed outline that did not become a source, and why."""

    title: str
    url: str
    reason: str


@dataclass
class OpmlImport:
    sources: list[Source]
    skipped: list[SkippedOutline]


def read_opml(data: bytes, origin: str) -> OpmlImport:
    """The sources of every outline with an xmlUrl; the others reported in `skipped`.

    The section is the nearest enclosing category outline, else the outline's `category`
    attribute, else "عام"; the language is the `language` attribute, else "ar".
    """
    body = parse_opml_body(data, origin)
    sources: list[Source] = []
    skipped: list[SkippedOutline] = []
    seen_urls: dict[str, str] = {}
    for outline, section in feed_outlines(body, None):
        source, reason = outline_to_source(outline, section)
        if source is not None and source.url in seen_urls:
            source, reason = None, f"duplicate of {seen_urls[source.url]!r}"
        if source is None:
            skipped.append(SkippedOutline(outline_title(outline), attribute(outline, "xmlUrl"),
                                          reason))
            continue
        seen_urls[source.url] = source.name
        sources.append(source)
    return OpmlImport(sources, skipped)


def parse_opml_body(data: bytes, origin: str) -> ET.Element:
    """The <body> element, after refusing what an OPML file never needs (DTDs, entities)."""
    utf8 = to_utf8_xml(data, None)
    if FORBIDDEN_DECLARATION.search(utf8):
        raise OpmlError(f"{origin}: refused: DOCTYPE or ENTITY declarations are not allowed "
                        "in OPML")
    try:
        root = ET.fromstring(utf8)
    except ET.ParseError as exc:
        raise OpmlError(f"{origin}: not well-formed XML ({one_line(str(exc))})") from None
    if _local_name(root.tag) != "opml":
        raise OpmlError(f"{origin}: not an OPML file (root element <{_local_name(root.tag)}>)")
    body = next((child for child in root if _local_name(child.tag) == "body"), None)
    if body is None:
        raise OpmlError(f"{origin}: OPML without a <body> element")
    return body


def feed_outlines(parent: ET.Element,
                  section: str | None) -> Iterator[tuple[ET.Element, str | None]]:
    """Every outline that is a feed (or a leaf), with the nearest enclosing category's name."""
    for outline in parent:
        if _local_name(outline.tag) != "outline":
            continue
        children = [child for child in outline if _local_name(child.tag) == "outline"]
        if attribute(outline, "xmlUrl") or not children:
            yield outline, section
        if children:
            yield from feed_outlines(outline, outline_title(outline) or section)


def outline_to_source(outline: ET.Element, section: str | None) -> tuple[Source | None, str]:
    """The outline as a Source, or None and the reason it cannot be one."""
    url = attribute(outline, "xmlUrl").strip()
    if not url:
        return None, "no xmlUrl (not a feed)"
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None, f"not an http(s) URL: {url[:100]}"
    name = outline_title(outline) or parts.netloc
    section = section or category_section(attribute(outline, "category")) or DEFAULT_SECTION
    language = attribute(outline, "language").strip() or DEFAULT_LANGUAGE
    return Source(name=name, url=url, section=section, language=language), ""


def category_section(category: str) -> str:
    """The OPML 2.0 `category` attribute ("/News/Egypt,/World"): the first one's last part."""
    first = category.split(",")[0]
    parts = [part.strip() for part in first.split("/") if part.strip()]
    return parts[-1] if parts else ""


def outline_title(outline: ET.Element) -> str:
    """`title` when present, else `text` (OPML 2.0 requires text; many readers write title)."""
    return " ".join((attribute(outline, "title") or attribute(outline, "text")).split())


def attribute(element: ET.Element, name: str) -> str:
    """An attribute by name, ignoring case: exporters write xmlUrl, xmlurl and XMLURL."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if key.lower() == wanted:
            return value
    return ""


def write_opml(sources: Sequence[Source], title: str) -> bytes:
    """OPML 2.0 in UTF-8: one category outline per section, in the order sections first appear.

    There is no dateCreated: the same sources always give the same bytes.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    body = ET.SubElement(root, "body")
    categories: dict[str, ET.Element] = {}
    for source in sources:
        if source.section not in categories:
            categories[source.section] = ET.SubElement(
                body, "outline", text=source.section, title=source.section)
        ET.SubElement(categories[source.section], "outline", type="rss", text=source.name,
                      title=source.name, xmlUrl=source.url, language=source.language)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""
