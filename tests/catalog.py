"""The Chinese translation catalog (.ts) as data: which English sentences were extracted as
marked for translation, and what each became."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from codex_link.ui.resources import translations_dir

TS = translations_dir() / "codexlink_zh_CN.ts"
QM = translations_dir() / "codexlink_zh_CN.qm"


def messages(path: Path = TS) -> list[tuple[str, str, ET.Element]]:
    """(context, English source, the <message> element) for every message in a .ts file."""
    root = ET.parse(path).getroot()
    return [
        (ctx.findtext("name") or "", msg.findtext("source") or "", msg)
        for ctx in root.iter("context")
        for msg in ctx.iter("message")
    ]


def marked(context: str = "CodexLink") -> set[str]:
    """The sentences lupdate found marked for translation in `context` (QT_TRANSLATE_NOOP)."""
    return {source for ctx, source, _ in messages() if ctx == context}
