"""Something in Codex's files (or routes) a user must hear about, and how much it matters."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from codex_link.core.model.text import Text


class Severity(StrEnum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"  # Codex will not load its config, or will not work as the user expects


@dataclass(frozen=True, slots=True)
class Finding:
    """Something in Codex's files a user must hear about."""

    code: str  # stable id for scripts and tests, e.g. "reserved_provider_table"
    severity: Severity
    message: Text
    path: Path | None = None
