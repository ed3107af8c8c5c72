"""`marsad doctor`: which entity backend is active here, why the others are not, and how fast
each available statistical backend analyzes articles on this machine, measured now."""

from __future__ import annotations

import time

from .backends import available_backends, backend_reports, choose_backend

__all__ = ["available_backends", "doctor_report"]

# A short news passage, repeated into an article of about 450 words for the speed check.
PASSAGE = (
    "وقال الأمين العام لجامعة الدول العربية أحمد أبو الغيط في القاهرة: «لا بديل عن الحل السياسي». "
    "وأضاف أن الجامعة ستواصل دعم الحوار، مشيرا إلى أن «الليبيين وحدهم يقررون مستقبل بلادهم». "
    "ونقلت وكالة أنباء الشرق الأوسط عن مصدر دبلوماسي قوله إن الاجتماع المقبل سيعقد في تونس. "
    "وأكد وزير الخارجية المصري سامح شكري أن بلاده تدعم جهود الأمم المتحدة في ليبيا والسودان.\n"
)
ARTICLE = PASSAGE * 6
SPEED_SECONDS = 1.5  # measuring time per backend, after one warm-up article


def doctor_report(measure: bool = True) -> str:
    """A few lines of plain text for the command line."""
    lines = ["Arabic entity recognition backends:"]
    for r in backend_reports():
        mark = "ok " if r.available else "-- "
        lines.append(f"  {mark}{r.name:<9} {r.reason}")
    if measure:
        lines.append(f"speed here (whole analysis, articles of {len(ARTICLE.split())} words, one process):")
        lines += [f"  {speed_line(name)}" for name in available_backends() if name != "rules"]
    lines.append(f"active (auto): {choose_backend('auto')}")
    return "\n".join(lines)


def speed_line(backend: str) -> str:
    """Articles per second of the whole analysis with `backend`, measured for a moment."""
    from . import Analyzer

    started = time.perf_counter()
    analyzer = Analyzer([], backend)
    analyzer.analyze(ARTICLE)  # warm-up: memos, and the model's first pass
    loaded = time.perf_counter() - started
    count, t0 = 0, time.perf_counter()
    while count < 1 or time.perf_counter() - t0 < SPEED_SECONDS:
        analyzer.analyze(ARTICLE)
        count += 1
    rate = count / (time.perf_counter() - t0)
    where = ""
    tagger = analyzer._recognizer.tagger
    if backend == "bert":
        import torch

        where = f" on {tagger.device} ({torch.get_num_threads()} threads)"
    return f"{backend:<9} {rate:.2f} articles/s{where}; loaded in {loaded:.1f} s"
