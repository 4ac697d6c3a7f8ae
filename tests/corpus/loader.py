"""The config corpus: files shaped like real users' config.toml, plus byte-level variants.

Stored files live in `configs/` (`.gitattributes` keeps git from touching their line ends or
BOMs). `refused_*` files are ones Codex itself will not load. Each LF file that ends with a
newline is also served as CRLF, with a BOM, and without its final newline, so every shape is
tried in every byte form; "missing" stands for a Codex home without config.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CONFIGS = Path(__file__).resolve().parent / "configs"
BOM = b"\xef\xbb\xbf"
FILE_SHAPES = ("read_only", "hard_link", "fifo")


@dataclass(frozen=True)
class CorpusCase:
    name: str
    content: bytes | None  # None: there is no config.toml
    codex_refuses: bool  # Codex itself will not load this file

    def __str__(self) -> str:
        return self.name


def stored_cases() -> list[CorpusCase]:
    cases = [
        CorpusCase(path.stem, path.read_bytes(), path.name.startswith("refused_"))
        for path in sorted(CONFIGS.glob("*.toml"))
    ]
    return [*cases, CorpusCase("missing", None, False)]


def variants(case: CorpusCase) -> list[CorpusCase]:
    """CRLF, BOM and no-final-newline forms of an LF file that ends with a newline."""
    content = case.content
    if not content or b"\r\n" in content or content.startswith(BOM) or not content.endswith(b"\n"):
        return []
    return [
        CorpusCase(f"{case.name}+crlf", content.replace(b"\n", b"\r\n"), case.codex_refuses),
        CorpusCase(f"{case.name}+bom", BOM + content, case.codex_refuses),
        CorpusCase(f"{case.name}+nofinalnl", content.rstrip(b"\n"), case.codex_refuses),
    ]


def all_cases() -> list[CorpusCase]:
    stored = stored_cases()
    return stored + [variant for case in stored for variant in variants(case)]
