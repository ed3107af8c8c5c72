"""The one scheme of entity ids: "per-3f2a…" from the type and the normalized name.

The analyzer gives each entity and each named speaker such an id; the registry (generator/
link.py) keeps the id an entity was first seen by for the life of the archive.
"""

from __future__ import annotations

import hashlib

from .normalize import norm_words


def entity_id(type_: str, name: str) -> str:
    digest = hashlib.sha1(f"{type_}\t{' '.join(norm_words(name))}".encode("utf-8")).hexdigest()
    return f"{type_.lower()}-{digest[:12]}"
