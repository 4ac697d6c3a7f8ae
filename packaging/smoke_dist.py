"""Runs the built downloads the way a user would get them, and their `--smoke-test`.

    python packaging/smoke_dist.py [--dist dist]

For this OS's downloads in DIST, each unpacked into a fresh temporary folder and run with a
throw-away HOME and QT_QPA_PLATFORM=offscreen:
  Linux    the .tar.gz (both executables), the .deb (dpkg -x: as installed under /opt,
           started through a link as /usr/bin's are), the AppImage when there is one
  Windows  the .zip (the console executable; the release workflow also runs the windowed
           one and the installer)
  macOS    the .dmg (mounted read-only: both executables inside the .app, its Info.plist)
Exits non-zero on the first failure. The release workflow runs it after `build_dist.py`.
"""

from __future__ import annotations

import argparse
import os
import plistlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Sequence
from pathlib import Path

import distinfo

TIMEOUT_S = 180


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def app_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("QT_", "XDG_", "CODEX_"))}
    env.update(
        {
            "HOME": str(home),
            "USERPROFILE": str(home),
            "APPDATA": str(home / "AppData"),
            "LOCALAPPDATA": str(home / "LocalAppData"),
            "QT_QPA_PLATFORM": "offscreen",
            "CODEX_HOME": str(home / ".codex"),
        }
    )
    if not sys.platform.startswith("win"):
        env["XDG_CONFIG_HOME"] = str(home / ".config")
        env["XDG_DATA_HOME"] = str(home / ".local" / "share")
        env["XDG_STATE_HOME"] = str(home / ".local" / "state")
        env["XDG_CACHE_HOME"] = str(home / ".cache")
    return env


def run_app(exe: Path, args: Sequence[str], home: Path, expect: str = "") -> str:
    """Runs exe with args; fails unless it exits 0 (and prints `expect`)."""
    home.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [str(exe), *args],
        env=app_env(home),
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_S,
        check=False,
    )
    shown = f"{exe} {' '.join(args)}"
    if result.returncode != 0 or expect not in result.stdout:
        raise SystemExit(
            f"FAILED ({result.returncode}): {shown}\n--- stdout\n{result.stdout}"
            f"\n--- stderr\n{result.stderr}"
        )
    log(f"ok: {shown}")
    print(result.stdout.rstrip(), flush=True)
    return result.stdout


def smoke(exe: Path, home: Path, version: str) -> None:
    run_app(exe, ["--version"], home, expect=f"codex-link {version}")
    run_app(exe, ["--smoke-test"], home)


def linux(dist: Path, scratch: Path, version: str) -> int:
    names = distinfo.download_names(version)
    checked = 0
    tar_path = dist / names["linux-tar"]
    if tar_path.is_file():
        with tarfile.open(tar_path) as archive:
            archive.extractall(scratch / "tar", filter="tar")
        folder = scratch / "tar" / distinfo.NAME
        smoke(folder / distinfo.NAME, scratch / "home-tar", version)
        run_app(folder / distinfo.TRAY_NAME, ["--smoke-test"], scratch / "home-tar-tray")
        checked += 1
    deb = dist / names["linux-deb"]
    if deb.is_file():
        root = scratch / "deb"
        subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
        installed = root / "opt" / distinfo.NAME
        # /usr/bin/codex-link is a link to /opt/codex-link/codex-link: start it through one
        link = scratch / "bin" / distinfo.NAME
        link.parent.mkdir()
        link.symlink_to(installed / distinfo.NAME)
        smoke(link, scratch / "home-deb", version)
        checked += 1
    image = dist / names["linux-appimage"]
    if image.is_file():
        os.environ["APPIMAGE_EXTRACT_AND_RUN"] = "1"  # no FUSE on CI machines
        smoke(image, scratch / "home-appimage", version)
        checked += 1
    return checked


def windows(dist: Path, scratch: Path, version: str) -> int:
    archive = dist / distinfo.download_names(version)["windows-zip"]
    if not archive.is_file():
        return 0
    with zipfile.ZipFile(archive) as handle:
        handle.extractall(scratch / "zip")
    smoke(scratch / "zip" / distinfo.NAME / f"{distinfo.NAME}.exe", scratch / "home-zip", version)
    return 1


def macos(dist: Path, scratch: Path, version: str) -> int:
    dmg = dist / distinfo.download_names(version)["macos-dmg"]
    if not dmg.is_file():
        return 0
    mount = scratch / "dmg"
    mount.mkdir()
    subprocess.run(
        ["hdiutil", "attach", "-nobrowse", "-readonly", "-mountpoint", str(mount), str(dmg)],
        check=True,
    )
    try:
        app = mount / f"{distinfo.DISPLAY_NAME}.app"
        with (app / "Contents" / "Info.plist").open("rb") as handle:
            info = plistlib.load(handle)
        wanted = {
            "CFBundleExecutable": distinfo.TRAY_NAME,
            "LSUIElement": True,
            "CFBundleShortVersionString": version,
            "CFBundleVersion": version,
            "NSHighResolutionCapable": True,
        }
        wrong = {k: info.get(k) for k, v in wanted.items() if info.get(k) != v}
        if wrong:
            raise SystemExit(f"Info.plist: {wrong}")
        log("ok: Info.plist")
        smoke(app / "Contents" / "MacOS" / distinfo.NAME, scratch / "home-dmg", version)
        # The windowed executable has no terminal: its result is its exit code.
        run_app(
            app / "Contents" / "MacOS" / distinfo.TRAY_NAME,
            ["--smoke-test"],
            scratch / "home-dmg-tray",
        )
    finally:
        subprocess.run(["hdiutil", "detach", str(mount)], check=False)
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Smoke-tests the built downloads.")
    parser.add_argument("--dist", type=Path, default=distinfo.ROOT / "dist")
    args = parser.parse_args(argv)
    version = distinfo.read_version()
    scratch = Path(tempfile.mkdtemp(prefix="codex-link-smoke-"))
    try:
        if sys.platform.startswith("linux"):
            checked = linux(args.dist, scratch, version)
        elif sys.platform == "win32":
            checked = windows(args.dist, scratch, version)
        elif sys.platform == "darwin":
            checked = macos(args.dist, scratch, version)
        else:
            checked = 0
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if checked == 0:
        print(f"no downloads for this OS in {args.dist}", file=sys.stderr)
        return 1
    log(f"{checked} download(s) passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
