"""Facts every packaging step shares: where things are, the version, the download names.

Plain Python with no dependencies, so the PyInstaller spec, the build script, the tests and
the benchmark all read the same answers. The version has one home, `__version__` in
app/codex_link/__init__.py; it is read from the source text here and written nowhere else.
"""

from __future__ import annotations

import ast
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
RESOURCES = ROOT / "resources"
APP_ICON_SVG = RESOURCES / "icons" / "codex-link.svg"

NAME = "codex-link"  # the COLLECT folder, the console executable, the package
TRAY_NAME = "codex-link-tray"  # the windowed executable
DISPLAY_NAME = "Codex Link"
APP_ID = "io.github.codexlink.CodexLink"  # AppStream component id
BUNDLE_ID = "io.github.codexlink.tray"  # macOS; the app's LaunchAgent label too
HOMEPAGE = "https://github.com/codex-link/codex-link"
SUMMARY = "Tells whether OpenAI Codex can use WebSocket on this network"
# Inno Setup AppId: fixed forever, so an upgrade replaces the installed copy.
WINDOWS_APP_GUID = "8C0F5E7A-3B1D-4E57-9A2C-6D4B1F0E9C31"
# The value the app itself writes for "Start at login" (codex_link.ui.autostart.WINDOWS_VALUE).
WINDOWS_RUN_VALUE = "Codex Link"


def read_version(root: Path = ROOT) -> str:
    """`__version__` from app/codex_link/__init__.py, parsed, never imported."""
    source = (root / "app" / "codex_link" / "__init__.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == "__version__"
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            return node.value.value
    raise ValueError("no __version__ = '...' in app/codex_link/__init__.py")


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Four integers for Windows version resources: 1.2.3rc1 -> (1, 2, 3, 0)."""
    release = re.match(r"\d+(?:\.\d+)*", version)
    parts = [int(p) for p in release.group(0).split(".")[:4]] if release else []
    parts += [0] * (4 - len(parts))
    return parts[0], parts[1], parts[2], parts[3]


def debian_version(version: str) -> str:
    """PEP 440 to Debian ordering: pre-releases sort before the release (1.0rc1 -> 1.0~rc1)."""
    return re.sub(r"(?<=\d)\.?(a|b|rc|dev)(\d*)", r"~\1\2", version)


def machine() -> str:
    """The CPU as the download names say it: x86_64, aarch64, x64 (Windows) or arm64."""
    arch = platform.machine().lower()
    if sys.platform == "win32":
        return "arm64" if arch in ("arm64", "aarch64") else "x64"
    if arch in ("amd64", "x86_64"):
        return "x86_64"
    if arch in ("arm64", "aarch64"):
        return "aarch64" if sys.platform.startswith("linux") else "arm64"
    return arch


def debian_arch(arch: str | None = None) -> str:
    arch = arch or machine()
    return {"x86_64": "amd64", "aarch64": "arm64", "armv7l": "armhf"}.get(arch, arch)


def download_names(version: str, arch: str | None = None) -> dict[str, str]:
    """The file name of each download, by kind."""
    arch = arch or machine()
    return {
        "linux-tar": f"{NAME}-{version}-linux-{arch}.tar.gz",
        "linux-deb": f"{NAME}_{debian_version(version)}_{debian_arch(arch)}.deb",
        "linux-appimage": f"{NAME}-{version}-linux-{arch}.AppImage",
        "windows-setup": f"{NAME}-{version}-windows-{arch}-setup.exe",
        "windows-zip": f"{NAME}-{version}-windows-{arch}.zip",
        "macos-dmg": f"{NAME}-{version}-macos.dmg",
    }


def source_date_epoch() -> int:
    """The time stamp put into archives: SOURCE_DATE_EPOCH when set, else the last commit's."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value.isdigit():
        return int(value)
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
        return int(out.strip())
    except (OSError, ValueError, subprocess.SubprocessError):
        return 315532800  # 1980-01-01, the earliest time a zip file can hold


def windows_version_file(version: str) -> str:
    """The Windows version resource of both executables, as a PyInstaller version file.

    The text is the Python expression PyInstaller's `load_version_info_from_text_file` reads;
    it is written here rather than built from PyInstaller's classes, which need `pefile`
    (installed on Windows only), so that it is testable everywhere.
    """
    numbers = numeric_version(version)
    strings = {
        "CompanyName": "The Codex Link developers",
        "FileDescription": DISPLAY_NAME,
        "FileVersion": version,
        "InternalName": NAME,
        "LegalCopyright": "MIT License, the Codex Link developers",
        "OriginalFilename": f"{NAME}.exe",
        "ProductName": DISPLAY_NAME,
        "ProductVersion": version,
    }
    table = ",\n".join(f"          StringStruct({k!r}, {v!r})" for k, v in strings.items())
    return (
        "# UTF-8\n"
        "VSVersionInfo(\n"
        f"  ffi=FixedFileInfo(filevers={numbers!r}, prodvers={numbers!r},\n"
        "                    mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1, subtype=0x0,\n"
        "                    date=(0, 0)),\n"
        "  kids=[\n"
        "    StringFileInfo([\n"
        "      StringTable('040904B0', [\n"
        f"{table}\n"
        "      ])\n"
        "    ]),\n"
        "    VarFileInfo([VarStruct('Translation', [0x0409, 1200])])\n"
        "  ]\n"
        ")\n"
    )
