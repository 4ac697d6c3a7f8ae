"""Builds the downloads that need no Python, for the OS this runs on (`make dist`).

    python packaging/build_dist.py [--dist DIR] [--work DIR] [--reuse-bundle]

1. icons from resources/icons/codex-link.svg (packaging/make_icons.py) -> WORK/icons/
2. PyInstaller (packaging/codex-link.spec) -> DIST/codex-link/ (+ DIST/Codex Link.app)
3. the downloads, in DIST/:
   Linux    codex-link-<v>-linux-<arch>.tar.gz   the folder, a README and install-desktop-entry.sh
            codex-link_<v>_<debarch>.deb          /opt/codex-link, /usr/bin links, menu entry
            codex-link-<v>-linux-<arch>.AppImage  only where appimagetool is (APPIMAGETOOL or
                                                  PATH; the release workflow brings it)
   Windows  codex-link-<v>-windows-x64.zip        the folder (portable)
            codex-link-<v>-windows-x64-setup.exe  Inno Setup (iscc), per-user install
   macOS    codex-link-<v>-macos.dmg              the .app (packaging/macos/make-dmg.sh)
Signing runs only when configured (packaging/README.md), and says "skipped" otherwise.

Nothing is written outside WORK (default build/), DIST (default dist/) and .cache/ (the
PyInstaller cache): the Qt, pip and font caches are pointed there too. No network is used.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import time
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path

import distinfo

ROOT = distinfo.ROOT
HICOLOR_SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
DEB_MAINTAINER = "The Codex Link developers <codex-link@users.noreply.github.com>"

# The system libraries a Linux bundle links but does not carry, by soname: the .deb's
# Depends (or Recommends: the Wayland ones are needed on a Wayland session only; on X11, and
# when they are missing, Qt uses xcb). A soname missing here fails the build, so that a new
# dependency is noticed. Alternatives cover Ubuntu >= 24.04 / Debian >= 13 (64-bit time_t).
GLIB = "libglib2.0-0t64 | libglib2.0-0"
SONAME_PACKAGES: dict[str, str] = {
    **dict.fromkeys(
        (
            "libc.so.6",
            "libm.so.6",
            "libdl.so.2",
            "libpthread.so.0",
            "librt.so.1",
            "libresolv.so.2",
            "libutil.so.1",
            "ld-linux-x86-64.so.2",
            "ld-linux-aarch64.so.1",
        ),
        "libc6",
    ),
    **dict.fromkeys(
        (
            "libglib-2.0.so.0",
            "libgobject-2.0.so.0",
            "libgio-2.0.so.0",
            "libgmodule-2.0.so.0",
            "libgthread-2.0.so.0",
        ),
        GLIB,
    ),
    "libdbus-1.so.3": "libdbus-1-3",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libOpenGL.so.0": "libopengl0",
    "libGLX.so.0": "libglx0",
    "libxcb.so.1": "libxcb1",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb-util.so.1": "libxcb-util1",
    "libz.so.1": "zlib1g",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
RECOMMENDED = frozenset({"libwayland-client0", "libwayland-cursor0", "libwayland-egl1"})


def log(message: str) -> None:
    print(f"==> {message}", flush=True)


def run(
    argv: Sequence[str | Path], env: dict[str, str] | None = None, cwd: Path | None = None
) -> None:
    log(" ".join(str(a) for a in argv))
    subprocess.run([str(a) for a in argv], env=env, cwd=cwd, check=True)


def build_env(work: Path) -> dict[str, str]:
    """The environment of the build's child processes: every cache inside the repository."""
    env = dict(os.environ)
    env["PYINSTALLER_CONFIG_DIR"] = str(ROOT / ".cache" / "pyinstaller")
    env["PIP_CACHE_DIR"] = str(ROOT / ".cache" / "pip")
    env["XDG_CACHE_HOME"] = str(work / "xdg-cache")  # fontconfig, Qt
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env["PYTHONHASHSEED"] = "0"
    env["SOURCE_DATE_EPOCH"] = str(distinfo.source_date_epoch())
    env["QT_QPA_PLATFORM"] = "offscreen"
    return env


# -- step 1 and 2: icons and the PyInstaller folder -------------------------------------------


def build_bundle(dist: Path, work: Path, env: dict[str, str]) -> Path:
    icons = work / "icons"
    run([sys.executable, distinfo.PACKAGING / "make_icons.py", "--out", icons], env=env)
    env = {**env, "CODEX_LINK_ICONS": str(icons)}
    run(
        [
            sys.executable,
            "-m",
            "PyInstaller",
            "--noconfirm",
            "--clean",
            "--log-level",
            "WARN",
            "--distpath",
            dist,
            "--workpath",
            work / "pyinstaller",
            distinfo.PACKAGING / "codex-link.spec",
        ],
        env=env,
        cwd=ROOT,
    )
    bundle = dist / distinfo.NAME
    for name in (distinfo.NAME, distinfo.TRAY_NAME):
        exe = bundle / (name + (".exe" if sys.platform == "win32" else ""))
        if not exe.is_file():
            raise SystemExit(f"PyInstaller made no {exe}")
    return bundle


# -- archives, byte-for-byte the same for the same input ---------------------------------------


def _walk(folder: Path) -> list[Path]:
    """Every file, folder and link under `folder`, in a fixed order."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames.sort()
        base = Path(dirpath)
        found.extend(base / d for d in dirnames)
        found.extend(base / f for f in sorted(filenames))
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


def make_tar_gz(folder: Path, out: Path, arcname: str, mtime: int) -> Path:
    """folder as `arcname/` in a .tar.gz; owner root, fixed times and order."""

    def normal(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = "root"
        info.mtime = mtime
        if info.isdir() or info.mode & stat.S_IXUSR:
            info.mode = 0o755
        elif not info.issym():
            info.mode = 0o644
        return info

    out.parent.mkdir(parents=True, exist_ok=True)
    with (
        out.open("wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=mtime) as gz,
        tarfile.open(fileobj=gz, mode="w", format=tarfile.GNU_FORMAT) as tar,
    ):
        tar.add(folder, arcname=arcname, recursive=False, filter=normal)
        for path in _walk(folder):
            name = f"{arcname}/{path.relative_to(folder).as_posix()}"
            tar.add(path, arcname=name, recursive=False, filter=normal)
    return out


def make_zip(folder: Path, out: Path, arcname: str, mtime: int) -> Path:
    stamp = time.gmtime(max(mtime, 315532800))[:6]
    out.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for path in _walk(folder):
            name = f"{arcname}/{path.relative_to(folder).as_posix()}"
            if path.is_dir():
                info = zipfile.ZipInfo(name + "/", stamp)
                info.external_attr = (0o40755 << 16) | 0x10
                archive.writestr(info, b"")
                continue
            info = zipfile.ZipInfo(name, stamp)
            info.external_attr = (0o100755 if os.access(path, os.X_OK) else 0o100644) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with path.open("rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1 << 20)
    return out


# -- Linux ---------------------------------------------------------------------------------------


def render_metainfo(version: str, epoch: int) -> str:
    """The AppStream file with this version's <releases> entry (its date: the build's time)."""
    source = distinfo.RESOURCES / "linux" / f"{distinfo.APP_ID}.metainfo.xml"
    text = source.read_text(encoding="utf-8")
    date = time.strftime("%Y-%m-%d", time.gmtime(epoch))
    releases = f'  <releases>\n    <release version="{version}" date="{date}"/>\n  </releases>\n'
    if "<releases>" in text:
        raise ValueError(f"{source.name} has its own <releases>: the build writes it")
    return text.replace("</component>", releases + "</component>", 1)


def linux_share(share: Path, version: str, icons: Path, epoch: int) -> Path:
    """usr/share content: the menu entry, hicolor icons (PNG sizes + SVG), AppStream."""
    if share.exists():
        shutil.rmtree(share)
    (share / "applications").mkdir(parents=True)
    shutil.copy2(
        distinfo.RESOURCES / "linux" / "codex-link.desktop",
        share / "applications" / "codex-link.desktop",
    )
    for size in HICOLOR_SIZES:
        folder = share / "icons" / "hicolor" / f"{size}x{size}" / "apps"
        folder.mkdir(parents=True)
        shutil.copy2(icons / "png" / f"{distinfo.NAME}-{size}.png", folder / "codex-link.png")
    scalable = share / "icons" / "hicolor" / "scalable" / "apps"
    scalable.mkdir(parents=True)
    shutil.copy2(distinfo.APP_ICON_SVG, scalable / "codex-link.svg")
    (share / "metainfo").mkdir()
    (share / "metainfo" / f"{distinfo.APP_ID}.metainfo.xml").write_text(
        render_metainfo(version, epoch), encoding="utf-8"
    )
    return share


def _copy_bundle(bundle: Path, target: Path) -> None:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(bundle, target, symlinks=True)


def _normalise(tree: Path, mtime: int) -> None:
    """Modes 0755/0644 (executables keep x), one time stamp: what the package records."""
    for path in [tree, *_walk(tree)]:
        if path.is_symlink():
            os.utime(path, (mtime, mtime), follow_symlinks=False)
            continue
        mode = path.stat().st_mode
        path.chmod(0o755 if path.is_dir() or mode & stat.S_IXUSR else 0o644)
        os.utime(path, (mtime, mtime))


def elf_files(folder: Path) -> list[Path]:
    found = []
    for path in _walk(folder):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def external_libraries(bundle: Path) -> tuple[set[str], tuple[int, ...]]:
    """The sonames the bundle's binaries link but do not carry, and the newest glibc symbol
    version they need (the .deb's libc6 (>= ...))."""
    carried = {p.name for p in _walk(bundle)}
    needed: set[str] = set()
    glibc: tuple[int, ...] = (2, 17)
    for path in elf_files(bundle):
        dynamic = subprocess.run(
            ["readelf", "-d", "-W", str(path)], capture_output=True, text=True, check=False
        ).stdout
        needed.update(re.findall(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", dynamic))
        versions = subprocess.run(
            ["readelf", "-V", "-W", str(path)], capture_output=True, text=True, check=False
        ).stdout
        for found in re.findall(r"Name: GLIBC_([0-9.]+)", versions):
            glibc = max(glibc, tuple(int(n) for n in found.split(".")))
    return needed - carried, glibc


def deb_relations(sonames: Iterable[str], glibc: tuple[int, ...]) -> tuple[str, str]:
    """(Depends, Recommends) for the system libraries the bundle links."""
    unknown = sorted(s for s in sonames if s not in SONAME_PACKAGES)
    if unknown:
        raise SystemExit(
            "the bundle links system libraries with no Debian package known: "
            f"{', '.join(unknown)} (add them to SONAME_PACKAGES in {__file__})"
        )
    packages = {SONAME_PACKAGES[s] for s in sonames}
    libc = f"libc6 (>= {'.'.join(str(n) for n in glibc)})"
    depends = [libc, *sorted(p for p in packages - RECOMMENDED if p != "libc6")]
    return ", ".join(depends), ", ".join(sorted(packages & RECOMMENDED))


def deb_control(version: str, arch: str, installed_kib: int, depends: str, recommends: str) -> str:
    lines = [
        f"Package: {distinfo.NAME}",
        f"Version: {distinfo.debian_version(version)}",
        f"Architecture: {distinfo.debian_arch(arch)}",
        f"Maintainer: {DEB_MAINTAINER}",
        f"Installed-Size: {installed_kib}",
        f"Depends: {depends}",
        *([f"Recommends: {recommends}"] if recommends else []),
        "Section: net",
        "Priority: optional",
        f"Homepage: {distinfo.HOMEPAGE}",
        "Description: tray app: can OpenAI Codex use WebSocket on this network?",
        " Codex Link sits in the system tray and tells, in plain words, whether OpenAI",
        " Codex will start quickly on the network you are on. Where a proxy or firewall",
        " blocks the WebSocket connection Codex prefers, it shows why and switches Codex",
        " to HTTP only with one click (and back), without damaging Codex's settings.",
        " .",
        " This package carries its own Python and Qt under /opt/codex-link; the",
        " commands are codex-link (command line) and codex-link-tray (the tray app).",
    ]
    return "\n".join(lines) + "\n"


COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: codex-link
Source: {homepage}

Files: *
Copyright: The Codex Link developers
License: MIT

Files: opt/codex-link/_internal/*
Copyright: The authors of Python, Qt (LGPL-3.0), PySide6 (LGPL-3.0) and the other
 bundled libraries; their licences are those of each project.
License: various

License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this
 software and associated documentation files (the "Software"), to deal in the Software
 without restriction, including without limitation the rights to use, copy, modify,
 merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
 permit persons to whom the Software is furnished to do so, subject to the following
 conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies
 or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
 INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR
 PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE
 FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR
 OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER
 DEALINGS IN THE SOFTWARE.
"""

TAR_README = """\
Codex Link {version} for Linux ({arch})
=====================================

Everything it needs is in this folder (its own Python and Qt); nothing to install.

  ./codex-link-tray                the tray app
  ./codex-link --help              the command line (check, http-only on|off, config, report)
  ./codex-link --smoke-test        checks that this copy works here, then exits

Add it to your application menu (this user only, no root needed; also links the two
commands into ~/.local/bin):

  ./install-desktop-entry.sh
  ./install-desktop-entry.sh --uninstall

Keep the folder where it is afterwards (the menu entry points into it), e.g. in
~/.local/opt/codex-link. "Start at login" is in the tray menu.

Needs glibc {glibc} or newer and the usual desktop libraries: on Debian/Ubuntu
  {depends}
(the .deb download installs them for you).

{homepage}
"""


def build_linux(
    bundle: Path, dist: Path, work: Path, version: str, env: dict[str, str], formats: set[str]
) -> list[Path]:
    epoch = int(env["SOURCE_DATE_EPOCH"])
    arch = distinfo.machine()
    names = distinfo.download_names(version, arch)
    share = linux_share(work / "linux" / "share", version, work / "icons", epoch)
    sonames, glibc = external_libraries(bundle)
    depends, recommends = deb_relations(sonames, glibc)
    made: list[Path] = []

    if "tar" in formats:
        stage = work / "linux" / "tar" / distinfo.NAME
        _copy_bundle(bundle, stage)
        shutil.copytree(share, stage / "share")
        shutil.copy2(
            distinfo.PACKAGING / "linux" / "install-desktop-entry.sh",
            stage / "install-desktop-entry.sh",
        )
        (stage / "install-desktop-entry.sh").chmod(0o755)
        (stage / "README.txt").write_text(
            TAR_README.format(
                version=version,
                arch=arch,
                glibc=".".join(map(str, glibc)),
                depends=", ".join(p for p in depends.split(", ") if not p.startswith("libc6")),
                homepage=distinfo.HOMEPAGE,
            ),
            encoding="utf-8",
        )
        out = dist / names["linux-tar"]
        log(f"tar.gz: {out}")
        made.append(make_tar_gz(stage, out, distinfo.NAME, epoch))

    if "deb" in formats:
        made.append(
            build_deb(
                bundle,
                share,
                dist / names["linux-deb"],
                work,
                version,
                arch,
                depends,
                recommends,
                epoch,
                env,
            )
        )

    if "appimage" in formats:
        image = build_appimage(
            bundle, share, dist / names["linux-appimage"], work, version, arch, env
        )
        if image is not None:
            made.append(image)
    return made


def build_deb(
    bundle: Path,
    share: Path,
    out: Path,
    work: Path,
    version: str,
    arch: str,
    depends: str,
    recommends: str,
    epoch: int,
    env: dict[str, str],
) -> Path:
    if shutil.which("dpkg-deb") is None:
        raise SystemExit("dpkg-deb is needed for the .deb (Debian/Ubuntu: apt-get install dpkg)")
    root = work / "linux" / "deb"
    if root.exists():
        shutil.rmtree(root)
    _copy_bundle(bundle, root / "opt" / distinfo.NAME)
    (root / "usr" / "bin").mkdir(parents=True)
    for name in (distinfo.NAME, distinfo.TRAY_NAME):
        (root / "usr" / "bin" / name).symlink_to(f"/opt/{distinfo.NAME}/{name}")
    shutil.copytree(share, root / "usr" / "share")
    doc = root / "usr" / "share" / "doc" / distinfo.NAME
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(COPYRIGHT.format(homepage=distinfo.HOMEPAGE), encoding="utf-8")
    _normalise(root, epoch)
    installed = sum(p.lstat().st_size for p in _walk(root) if not p.is_dir())
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        deb_control(version, arch, (installed + 1023) // 1024, depends, recommends),
        encoding="utf-8",
    )
    _normalise(root / "DEBIAN", epoch)
    out.parent.mkdir(parents=True, exist_ok=True)
    # xz: every dpkg reads it (Debian < 12 cannot read the zstd Ubuntu's dpkg-deb defaults to)
    run(["dpkg-deb", "--root-owner-group", "-Zxz", "--build", root, out], env=env)
    return out


APPRUN = """\
#!/bin/sh
# The AppImage's entry: the command line with arguments, the tray app without.
HERE="$(dirname "$(readlink -f "$0")")"
exec "$HERE/usr/lib/codex-link/codex-link" "$@"
"""


def find_appimagetool() -> str | None:
    return os.environ.get("APPIMAGETOOL") or shutil.which("appimagetool")


def build_appimage(
    bundle: Path, share: Path, out: Path, work: Path, version: str, arch: str, env: dict[str, str]
) -> Path | None:
    tool = find_appimagetool()
    if tool is None:
        log(
            "AppImage: skipped: appimagetool is not installed here (no Debian, PyPI or npm "
            "package has it; set APPIMAGETOOL to its path). The release workflow builds it."
        )
        return None
    appdir = work / "linux" / "CodexLink.AppDir"
    if appdir.exists():
        shutil.rmtree(appdir)
    _copy_bundle(bundle, appdir / "usr" / "lib" / distinfo.NAME)
    shutil.copytree(share, appdir / "usr" / "share")
    shutil.copy2(share / "applications" / "codex-link.desktop", appdir / "codex-link.desktop")
    shutil.copy2(
        share / "icons" / "hicolor" / "256x256" / "apps" / "codex-link.png",
        appdir / "codex-link.png",
    )
    (appdir / ".DirIcon").symlink_to("codex-link.png")
    (appdir / "AppRun").write_text(APPRUN, encoding="utf-8")
    (appdir / "AppRun").chmod(0o755)
    argv = [tool]
    runtime = os.environ.get("APPIMAGE_RUNTIME_FILE")
    if runtime:
        argv += ["--runtime-file", runtime]
    argv += [str(appdir), str(out)]
    run(argv, env={**env, "ARCH": arch, "APPIMAGE_EXTRACT_AND_RUN": "1", "VERSION": version})
    return out


# -- Windows -----------------------------------------------------------------------------------


def windows_sign(files: Sequence[Path]) -> bool:
    """signtool, only when a certificate is configured (WINDOWS_SIGN_PFX, ..._PASSWORD)."""
    pfx = os.environ.get("WINDOWS_SIGN_PFX", "")
    password = os.environ.get("WINDOWS_SIGN_PASSWORD", "")
    if not pfx or not password:
        log(
            "Windows signing: skipped: not configured (set WINDOWS_SIGN_PFX to a .pfx file "
            "and WINDOWS_SIGN_PASSWORD)"
        )
        return False
    signtool = os.environ.get("SIGNTOOL") or shutil.which("signtool")
    if signtool is None:
        kits = sorted(
            Path(r"C:\Program Files (x86)\Windows Kits\10\bin").glob(r"10.*\x64\signtool.exe")
        )
        signtool = str(kits[-1]) if kits else None
    if signtool is None:
        raise SystemExit("a signing certificate is configured but signtool.exe was not found")
    timestamp = os.environ.get("WINDOWS_SIGN_TIMESTAMP_URL", "http://timestamp.digicert.com")
    subprocess.run(
        [
            signtool,
            "sign",
            "/fd",
            "SHA256",
            "/f",
            pfx,
            "/p",
            password,
            "/tr",
            timestamp,
            "/td",
            "SHA256",
            *map(str, files),
        ],
        check=True,
    )
    log(f"signed {', '.join(p.name for p in files)}")
    return True


def find_iscc() -> str | None:
    for candidate in (
        os.environ.get("ISCC"),
        shutil.which("iscc"),
        shutil.which("ISCC"),
        r"C:\Program Files (x86)\Inno Setup 6\ISCC.exe",
        r"C:\Program Files\Inno Setup 6\ISCC.exe",
    ):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def build_windows(
    bundle: Path, dist: Path, work: Path, version: str, env: dict[str, str], formats: set[str]
) -> list[Path]:
    sys.path.insert(0, str(distinfo.PACKAGING / "windows"))
    import make_iss

    arch = distinfo.machine()
    names = distinfo.download_names(version, arch)
    epoch = int(env["SOURCE_DATE_EPOCH"])
    windows_sign([bundle / f"{distinfo.NAME}.exe", bundle / f"{distinfo.TRAY_NAME}.exe"])
    made: list[Path] = []
    if "zip" in formats:
        made.append(make_zip(bundle, dist / names["windows-zip"], distinfo.NAME, epoch))
    if "setup" in formats:
        script = make_iss.make_iss(
            work / "codex-link.iss", version, bundle, dist, work / "icons" / "codex-link.ico", arch
        )
        iscc = find_iscc()
        if iscc is None:
            log(
                f"installer: skipped: Inno Setup's iscc was not found (set ISCC); the "
                f"script is {script}"
            )
        else:
            run([iscc, "/Q", script], env=env)
            setup = dist / names["windows-setup"]
            windows_sign([setup])
            made.append(setup)
    return made


# -- macOS ---------------------------------------------------------------------------------------


def build_macos(dist: Path, version: str, env: dict[str, str]) -> list[Path]:
    app = dist / f"{distinfo.DISPLAY_NAME}.app"
    dmg = dist / distinfo.download_names(version)["macos-dmg"]
    run(["bash", distinfo.PACKAGING / "macos" / "make-dmg.sh", app, dmg], env=env)
    return [dmg]


# -- main ----------------------------------------------------------------------------------------

DEFAULT_FORMATS = {
    "linux": {"tar", "deb", "appimage"},
    "win32": {"zip", "setup"},
    "darwin": {"dmg"},
}


def platform_key() -> str:
    return "linux" if sys.platform.startswith("linux") else sys.platform


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Builds the downloads for this OS.")
    parser.add_argument("--dist", type=Path, default=ROOT / "dist", help="output (dist/)")
    parser.add_argument("--work", type=Path, default=ROOT / "build", help="scratch (build/)")
    parser.add_argument(
        "--reuse-bundle",
        action="store_true",
        help="package the existing DIST/codex-link instead of running PyInstaller",
    )
    parser.add_argument(
        "--formats",
        default=None,
        help="comma-separated subset of: " + ", ".join(sorted(DEFAULT_FORMATS[platform_key()])),
    )
    args = parser.parse_args(argv)
    dist, work = args.dist.resolve(), args.work.resolve()
    available = DEFAULT_FORMATS.get(platform_key(), set())
    formats = set(args.formats.split(",")) if args.formats else set(available)
    if formats - available:
        parser.error(f"not built on this OS: {', '.join(sorted(formats - available))}")

    started = time.monotonic()
    version = distinfo.read_version()
    env = build_env(work)
    work.mkdir(parents=True, exist_ok=True)
    dist.mkdir(parents=True, exist_ok=True)
    log(f"Codex Link {version}, {platform_key()} {distinfo.machine()}: {dist}")
    bundle = dist / distinfo.NAME
    if args.reuse_bundle and bundle.is_dir():
        run(
            [sys.executable, distinfo.PACKAGING / "make_icons.py", "--out", work / "icons"], env=env
        )
    else:
        bundle = build_bundle(dist, work, env)

    if platform_key() == "linux":
        made = build_linux(bundle, dist, work, version, env, formats)
    elif platform_key() == "win32":
        made = build_windows(bundle, dist, work, version, env, formats)
    elif platform_key() == "darwin":
        made = build_macos(dist, version, env)
    else:
        raise SystemExit(f"no downloads are defined for {sys.platform}")

    log(f"done in {time.monotonic() - started:.0f} s:")
    for path in made:
        print(f"  {path.name:48} {path.stat().st_size / 1e6:7.1f} MB  sha256 {sha256(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
