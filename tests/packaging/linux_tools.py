"""Helpers for the Linux metadata checks: the validators, and reading an Exec line back."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest


def validate_desktop_entry(path: Path) -> None:
    """desktop-file-validate passes, without a single hint (skips when it is not installed)."""
    if shutil.which("desktop-file-validate") is None:
        pytest.skip("desktop-file-validate is not installed (Debian: desktop-file-utils)")
    result = subprocess.run(
        ["desktop-file-validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0 and result.stdout.strip() == "", result.stdout + result.stderr


def validate_metainfo(path: Path) -> None:
    """`appstreamcli validate --no-net` passes (skips when it is not installed)."""
    if shutil.which("appstreamcli") is None:
        pytest.skip("appstreamcli is not installed (Debian: appstream)")
    result = subprocess.run(
        ["appstreamcli", "validate", "--no-net", "--explain", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for line in result.stdout.splitlines():  # errors and warnings fail; info/pedantic hints do not
        assert not line.startswith(("E:", "W:")), result.stdout


_STRING_ESCAPES = {"s": " ", "n": "\n", "t": "\t", "r": "\r", "\\": "\\"}


def desktop_exec_argv(value: str) -> list[str]:
    """The argv an Exec value stands for, per the Desktop Entry spec: the string escapes
    first (\\s \\n \\t \\r \\\\), then the quoting rules (inside double quotes a backslash
    escapes " ` $ and itself), then %% for a literal %."""
    text = re.sub(r"\\(.)", lambda m: _STRING_ESCAPES.get(m.group(1), "\\" + m.group(1)), value)
    argv: list[str] = []
    current: str | None = None
    quoted = False
    chars = iter(text)
    for char in chars:
        if quoted and char == "\\":
            escaped = next(chars)
            assert escaped in '"`$\\', f"bad escape in {value!r}"
            current = (current or "") + escaped
        elif char == '"':
            quoted = not quoted
            current = current or ""
        elif char == " " and not quoted:
            if current is not None:
                argv.append(current)
            current = None
        else:
            current = (current or "") + char
    assert not quoted, f"unterminated quote in {value!r}"
    if current is not None:
        argv.append(current)
    return [arg.replace("%%", "%") for arg in argv]
