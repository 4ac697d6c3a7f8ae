"""Fills in packaging/windows/codex-link.iss.in: the Inno Setup script for one version.

`python packaging/windows/make_iss.py --bundle dist/codex-link --out build/codex-link.iss`
(the build script calls `make_iss`); it runs anywhere, so the script is tested on Linux too.
Then, on Windows: `iscc build/codex-link.iss` writes codex-link-<version>-windows-x64-setup.exe.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from pathlib import Path, PureWindowsPath

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import distinfo

TEMPLATE = Path(__file__).resolve().parent / "codex-link.iss.in"
_PLACEHOLDER = re.compile(r"@([A-Z_]+)@")


def _windows_path(path: Path | str) -> str:
    return str(PureWindowsPath(Path(path).resolve())) if sys.platform == "win32" else str(path)


def render(
    version: str,
    bundle_dir: Path | str,
    output_dir: Path | str,
    icon: Path | str,
    arch: str = "x64",
) -> str:
    """The .iss text for `version`, installing the PyInstaller folder `bundle_dir`."""
    numbers = ".".join(str(n) for n in distinfo.numeric_version(version))
    output_base = distinfo.download_names(version, arch)["windows-setup"].removesuffix(".exe")
    values = {
        "VERSION": version,
        "NUMERIC_VERSION": numbers,
        "APP_GUID": distinfo.WINDOWS_APP_GUID,
        "RUN_VALUE": distinfo.WINDOWS_RUN_VALUE,
        "HOMEPAGE": distinfo.HOMEPAGE,
        "SUMMARY": distinfo.SUMMARY,
        "ARCHS": "arm64" if arch == "arm64" else "x64compatible",
        "OUTPUT_DIR": _windows_path(output_dir),
        "OUTPUT_BASE": output_base,
        "ICON": _windows_path(icon),
        "BUNDLE_DIR": _windows_path(bundle_dir),
    }
    for name, value in values.items():
        if '"' in value or "\n" in value:
            raise ValueError(f"{name} cannot go into an Inno Setup script: {value!r}")

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{TEMPLATE.name} names @{name}@, which make_iss.py does not know")
        return values[name]

    return _PLACEHOLDER.sub(fill, TEMPLATE.read_text(encoding="utf-8"))


def make_iss(
    out: Path,
    version: str,
    bundle_dir: Path | str,
    output_dir: Path | str,
    icon: Path | str,
    arch: str = "x64",
) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    # Inno Setup reads a script with a UTF-8 byte order mark as UTF-8.
    out.write_text(render(version, bundle_dir, output_dir, icon, arch), encoding="utf-8-sig")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Writes the Inno Setup script for a version.")
    parser.add_argument("--version", default=None, help="default: __version__ of the app")
    parser.add_argument("--bundle", type=Path, default=distinfo.ROOT / "dist" / distinfo.NAME)
    parser.add_argument("--output-dir", type=Path, default=distinfo.ROOT / "dist")
    parser.add_argument(
        "--icon", type=Path, default=distinfo.ROOT / "build" / "icons" / "codex-link.ico"
    )
    parser.add_argument("--arch", default="x64", choices=("x64", "arm64"))
    parser.add_argument("--out", type=Path, default=distinfo.ROOT / "build" / "codex-link.iss")
    args = parser.parse_args(argv)
    version = args.version or distinfo.read_version()
    print(make_iss(args.out, version, args.bundle, args.output_dir, args.icon, args.arch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
