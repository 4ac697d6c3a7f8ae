"""The real Linux build (`make dist`'s script), once per session into a temporary folder,
then each download used as a person would: unpacked or installed, and run.

Slow (a few minutes on 2 cores): marked `dist`; leave it out with `-m "not dist"`.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.packaging import PACKAGING, packaging_module
from tests.packaging.linux_tools import (
    desktop_exec_argv,
    validate_desktop_entry,
    validate_metainfo,
)

pytestmark = [
    pytest.mark.dist,
    pytest.mark.timeout(1800),
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the Linux build"),
]

MAX_DOWNLOAD_MB = 60.0
# Qt libraries the app never loads: none may be in the bundle.
UNWANTED_QT = re.compile(
    r"libQt6(Qml|Quick|Pdf|Designer|Help|Sql|Test|UiTools|OpenGL|EglFS|Labs|Lottie|"
    r"VirtualKeyboard|WaylandCompositor|WlShell|Concurrent|Xml|PrintSupport)"
)
ALLOWED_PLUGINS = {
    "platforms": {"libqxcb.so", "libqwayland.so", "libqoffscreen.so", "libqminimal.so"},
    "imageformats": {"libqsvg.so", "libqico.so"},
    "platformthemes": {"libqxdgdesktopportal.so"},
    "platforminputcontexts": {
        "libcomposeplatforminputcontextplugin.so",
        "libibusplatforminputcontextplugin.so",
    },
    "iconengines": {"libqsvgicon.so"},
    "networkinformation": {"libqnetworkmanager.so", "libqglib.so", "libqconnman.so"},
    "wayland-shell-integration": {"libxdg-shell.so"},
    "wayland-decoration-client": {"libadwaita.so", "libbradient.so"},
}


@dataclass(frozen=True)
class Build:
    dist: Path
    version: str
    seconds: float
    output: str

    def download(self, kind: str) -> Path:
        name = packaging_module("distinfo").download_names(self.version)[kind]
        path: Path = self.dist / name
        assert path.is_file(), f"{name} was not built:\n{self.output[-3000:]}"
        return path


@pytest.fixture(scope="session")
def build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Build]:
    for tool in ("dpkg-deb", "readelf"):
        if shutil.which(tool) is None:
            pytest.skip(f"{tool} is not installed")
    root = tmp_path_factory.mktemp("dist-build")
    started = time.monotonic()
    result = subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "build_dist.py"),
            "--dist",
            str(root / "dist"),
            "--work",
            str(root / "build"),
            "--formats",
            "tar,deb,appimage",
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    yield Build(
        root / "dist",
        packaging_module("distinfo").read_version(),
        time.monotonic() - started,
        output,
    )


def _run(exe: Path, *args: str, home: Path) -> subprocess.CompletedProcess[str]:
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local/share"),
        "XDG_STATE_HOME": str(home / ".local/state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "CODEX_HOME": str(home / ".codex"),
    }
    return subprocess.run(
        [str(exe), *args], env=env, capture_output=True, text=True, timeout=180, check=False
    )


def _smoke(exe: Path, home: Path, version: str) -> str:
    shown = _run(exe, "--version", home=home)
    assert shown.returncode == 0 and shown.stdout.strip() == f"codex-link {version}", shown
    smoke = _run(exe, "--smoke-test", home=home)
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert "smoke test passed" in smoke.stdout
    print(smoke.stdout)
    return smoke.stdout


@pytest.fixture(scope="session")
def unpacked(build: Build, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The .tar.gz unpacked into a folder whose path has a space in it."""
    target = tmp_path_factory.mktemp("unpacked") / "my apps"
    with tarfile.open(build.download("linux-tar")) as archive:
        names = archive.getnames()
        assert all(n == "codex-link" or n.startswith("codex-link/") for n in names)
        archive.extractall(target, filter="tar")
    return target / "codex-link"


def test_tarball_runs_from_where_it_is_unpacked(
    build: Build, unpacked: Path, tmp_path: Path
) -> None:
    assert (unpacked / "README.txt").is_file()
    assert os.access(unpacked / "install-desktop-entry.sh", os.X_OK)
    output = _smoke(unpacked / "codex-link", tmp_path / "home", build.version)
    assert "(bundle," in output
    tray = _run(unpacked / "codex-link-tray", "--smoke-test", home=tmp_path / "home2")
    assert tray.returncode == 0, tray.stdout + tray.stderr


def test_bundle_prints_chinese_under_a_latin1_locale(unpacked: Path, tmp_path: Path) -> None:
    """Python's UTF-8 mode is on in the bundle: piped output is UTF-8 whatever the locale
    (on Windows, cp1252 would fail on the smoke test's Chinese line the same way)."""
    if shutil.which("localedef") is None or not Path("/usr/share/i18n/locales/en_US").exists():
        pytest.skip("no localedef or locale sources (Debian: locales) to make a Latin-1 locale")
    locales = tmp_path / "locales"
    locales.mkdir()
    subprocess.run(
        ["localedef", "-i", "en_US", "-f", "ISO-8859-1", str(locales / "en_US.ISO-8859-1")],
        check=False,
        capture_output=True,
        timeout=120,
    )
    if not (locales / "en_US.ISO-8859-1").exists():
        pytest.skip("localedef could not make en_US.ISO-8859-1")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LOCPATH": str(locales),
        "LC_ALL": "en_US.ISO-8859-1",
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "CODEX_HOME": str(home / ".codex"),
    }
    result = subprocess.run(
        [str(unpacked / "codex-link"), "--smoke-test"],
        env=env,
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "退出".encode() in result.stdout


def test_tarball_installs_a_menu_entry(unpacked: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {
        **os.environ,
        "HOME": str(tmp_path),
        "XDG_DATA_HOME": str(data),
        "XDG_BIN_HOME": str(tmp_path / "bin"),
    }
    subprocess.run(
        [str(unpacked / "install-desktop-entry.sh")],
        env=env,
        check=True,
        capture_output=True,
        timeout=60,
    )
    entry = data / "applications" / "codex-link.desktop"
    validate_desktop_entry(entry)
    exec_line = next(line for line in entry.read_text().splitlines() if line.startswith("Exec="))
    assert desktop_exec_argv(exec_line.removeprefix("Exec=")) == [str(unpacked / "codex-link-tray")]
    assert (data / "icons/hicolor/256x256/apps/codex-link.png").is_file()
    smoke = _run(tmp_path / "bin" / "codex-link", "--version", home=tmp_path / "home")
    assert smoke.returncode == 0, smoke


def test_deb_has_the_files_and_control_data(build: Build) -> None:
    deb = build.download("linux-deb")
    info = subprocess.run(
        ["dpkg-deb", "-I", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    fields = dict(re.findall(r"^ ([A-Z][\w-]+): (.*)$", info, re.M))
    assert fields["Package"] == "codex-link"
    assert fields["Version"] == packaging_module("distinfo").debian_version(build.version)
    assert fields["Architecture"] == packaging_module("distinfo").debian_arch()
    for name in ("Maintainer", "Section", "Priority", "Description", "Installed-Size"):
        assert fields[name]
    depends = fields["Depends"]
    assert re.search(r"libc6 \(>= 2\.\d+\)", depends)
    for package in ("libglib2.0-0", "libdbus-1-3", "libfontconfig1", "libxcb1"):
        assert package in depends

    listing = subprocess.run(
        ["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True
    ).stdout
    paths = {line.split()[5].removeprefix("."): line for line in listing.splitlines()}
    for path in (
        "/opt/codex-link/codex-link",
        "/opt/codex-link/codex-link-tray",
        "/usr/share/applications/codex-link.desktop",
        "/usr/share/metainfo/io.github.codexlink.CodexLink.metainfo.xml",
        "/usr/share/icons/hicolor/scalable/apps/codex-link.svg",
        "/usr/share/doc/codex-link/copyright",
    ):
        assert path in paths, path
    for size in (16, 32, 48, 64, 128, 256, 512):
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/codex-link.png" in paths
    for name in ("codex-link", "codex-link-tray"):
        assert paths[f"/usr/bin/{name}"].startswith("l")
        assert paths[f"/usr/bin/{name}"].endswith(f"-> /opt/codex-link/{name}")
        assert paths[f"/opt/codex-link/{name}"].startswith("-rwxr-xr-x root/root")
    assert all(" root/root " in line for line in listing.splitlines())


def test_deb_installed_runs_and_its_metadata_validates(build: Build, tmp_path: Path) -> None:
    root = tmp_path / "root"
    subprocess.run(["dpkg", "-x", str(build.download("linux-deb")), str(root)], check=True)
    validate_desktop_entry(root / "usr/share/applications/codex-link.desktop")
    validate_metainfo(root / "usr/share/metainfo/io.github.codexlink.CodexLink.metainfo.xml")
    # /usr/bin/codex-link links to /opt/codex-link/codex-link: run it through such a link
    link = tmp_path / "bin" / "codex-link"
    link.parent.mkdir()
    link.symlink_to(root / "opt/codex-link/codex-link")
    _smoke(link, tmp_path / "home", build.version)


def test_bundle_carries_only_what_the_app_loads(build: Build) -> None:
    bundle = build.dist / "codex-link"
    files = [p for p in bundle.rglob("*") if p.is_file() or p.is_symlink()]
    names = {p.name for p in files}
    assert not sorted(n for n in names if UNWANTED_QT.match(n))
    assert {
        "libQt6Core.so.6",
        "libQt6Gui.so.6",
        "libQt6Widgets.so.6",
        "libQt6Svg.so.6",
        "libQt6Network.so.6",
    } <= names
    plugins = bundle / "_internal" / "PySide6" / "Qt" / "plugins"
    found = {d.name: {f.name for f in d.iterdir()} for d in plugins.iterdir()}
    for folder, contents in found.items():
        assert folder in ALLOWED_PLUGINS, f"plugin folder {folder}: {contents}"
        assert contents <= ALLOWED_PLUGINS[folder], (folder, contents)
    assert {"libqxcb.so", "libqoffscreen.so", "libqwayland.so"} <= found["platforms"]
    translations = bundle / "_internal" / "PySide6" / "Qt" / "translations"
    assert {p.name for p in translations.iterdir()} == {"qtbase_zh_CN.qm"}
    assert not [n for n in names if n.endswith(".ts")]
    assert not [n for n in names if re.match(r"lib(gtk|gdk|pango|cairo|atk)", n)]
    assert not (bundle / "_internal" / "cryptography").exists()
    assert not (bundle / "_internal" / "PySide6" / "Qt" / "qml").exists()
    resources = bundle / "_internal" / "codex_link" / "resources"
    assert (resources / "icons" / "codex-link.svg").is_file()
    assert (resources / "translations" / "codexlink_zh_CN.qm").is_file()


def test_downloads_are_small_enough(build: Build) -> None:
    sizes = {kind: build.download(kind).stat().st_size / 1e6 for kind in ("linux-tar", "linux-deb")}
    print(f"built in {build.seconds:.0f} s; sizes (MB): {sizes}")
    for kind, size in sizes.items():
        assert size < MAX_DOWNLOAD_MB, f"{kind}: {size:.1f} MB"


def test_appimage_is_skipped_with_a_reason_without_appimagetool(build: Build) -> None:
    if packaging_module("build_dist").find_appimagetool() is not None:
        build.download("linux-appimage")
    else:
        assert "AppImage: skipped: appimagetool is not installed here" in build.output


def test_release_smoke_script_passes_on_the_build(build: Build) -> None:
    result = subprocess.run(
        [sys.executable, str(PACKAGING / "smoke_dist.py"), "--dist", str(build.dist)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr
    assert "download(s) passed" in result.stdout
