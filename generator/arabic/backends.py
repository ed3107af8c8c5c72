"""Which entity backend runs: rules only, rules + the shipped CRF, or rules + CAMeL BERT.

    rules     gazetteers + trigger patterns + linking (always available)
    embedded  rules + the CRF in data/ner-crf.json.gz (decoded with numpy; no download)
    bert      rules + CAMeL Tools' BERT NER (when `camel_data -i ner-arabert` was run)
    auto      bert if available, else embedded, else rules
"""

from __future__ import annotations

from dataclasses import dataclass

from .bert import BertTagger, BertUnavailable, bert_status
from .crf import MODEL_FILE, CrfTagger, load_weights
from .features import Vocabulary
from .gazetteer import Gazetteer
from .merge import Tagger

BACKENDS = ("rules", "embedded", "bert")


@dataclass(frozen=True)
class BackendReport:
    name: str
    available: bool
    reason: str


def backend_reports() -> list[BackendReport]:
    """Availability of every backend, with the reason (no heavy import happens here)."""
    if not MODEL_FILE.is_file():
        embedded = BackendReport("embedded", False, f"model file missing: {MODEL_FILE}")
    else:
        embedded = BackendReport("embedded", True, f"CRF model {MODEL_FILE.name} "
                                                   f"({MODEL_FILE.stat().st_size / 1e6:.1f} MB)")
    status = bert_status()
    return [BackendReport("rules", True, "gazetteers and trigger patterns, built in"),
            embedded, BackendReport("bert", status.available, status.reason)]


class BackendError(ValueError):
    """The entity backend asked for does not exist or is not installed; one line for the user."""


def available_backends() -> list[str]:
    return [r.name for r in backend_reports() if r.available]


def choose_backend(requested: str = "auto") -> str:
    """The backend to use; "auto" takes the best available, a named one must be available."""
    reports = {r.name: r for r in backend_reports()}
    if requested == "auto":
        return next(name for name in reversed(BACKENDS) if reports[name].available)
    if requested not in reports:
        raise BackendError(f"unknown entity backend {requested!r}; choose from {', '.join(BACKENDS)} or auto")
    if not reports[requested].available:
        raise BackendError(f"entity backend {requested!r} is not available: {reports[requested].reason}")
    return requested


def make_tagger(backend: str, gazetteer: Gazetteer, device: str = "auto",
                threads: int | None = None) -> Tagger | None:
    """The statistical tagger of a backend (None for rules only); BERT runs on `device`."""
    if backend == "embedded":
        return CrfTagger(load_weights(MODEL_FILE), vocabulary(gazetteer))
    if backend == "bert":
        status = bert_status()
        if status.model_path is None:
            raise BertUnavailable(status.reason)
        return BertTagger(status.model_path, device, threads)
    return None


def vocabulary(gazetteer: Gazetteer) -> Vocabulary:
    """The word sets the CRF features need, taken from the gazetteer."""
    return Vocabulary(gazetteer.nisbas, gazetteer.name_words())
