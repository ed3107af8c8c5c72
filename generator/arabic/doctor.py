"""`marsad doctor`: which entity backend is active here, and why the others are not."""

from __future__ import annotations

from .backends import available_backends, backend_reports, choose_backend

__all__ = ["available_backends", "doctor_report"]


def doctor_report() -> str:
    """A few lines of plain text for the command line."""
    lines = ["Arabic entity recognition backends:"]
    for r in backend_reports():
        mark = "ok " if r.available else "-- "
        lines.append(f"  {mark}{r.name:<9} {r.reason}")
    lines.append(f"active (auto): {choose_backend('auto')}")
    return "\n".join(lines)
