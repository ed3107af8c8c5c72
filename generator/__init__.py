"""Marsad (مرصد): Arabic media-monitoring digests from news feeds."""

__version__ = "0.1.0"
