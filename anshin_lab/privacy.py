"""The privacy guard: re-identification risk and coarsening (grows with the privacy issue)."""

from __future__ import annotations

from .granularity import Granularity

__all__ = ["Granularity"]
