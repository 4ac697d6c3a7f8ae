"""The Linux menu entry, AppStream data, .deb control data and the tarball's installer."""

from __future__ import annotations

import configparser
import os
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.packaging import PACKAGING, REPO, packaging_module
from tests.packaging.linux_tools import (
    desktop_exec_argv,
    validate_desktop_entry,
    validate_metainfo,
)

LINUX = REPO / "resources" / "linux"
DESKTOP = LINUX / "codex-link.desktop"
METAINFO = LINUX / "io.github.codexlink.CodexLink.metainfo.xml"


def _desktop(path: Path) -> configparser.SectionProxy:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(path, encoding="utf-8")
    return entry["Desktop Entry"]


def test_desktop_entry_validates_and_starts_the_tray_app() -> None:
    validate_desktop_entry(DESKTOP)
    section = _desktop(DESKTOP)
    assert section["Exec"] == "codex-link-tray"
    assert section["Icon"] == "codex-link"
    assert section["Categories"] == "Network;Monitor;"


def test_metainfo_validates_and_names_the_desktop_entry() -> None:
    validate_metainfo(METAINFO)
    root = ET.parse(METAINFO).getroot()
    assert root.get("type") == "desktop-application"
    assert root.findtext("id") == METAINFO.name.removesuffix(".metainfo.xml")
    assert root.findtext("launchable") == DESKTOP.name
    assert root.find("releases") is None  # the build adds the version's entry


def test_built_metainfo_has_this_release(tmp_path: Path) -> None:
    build_dist = packaging_module("build_dist")
    text = build_dist.render_metainfo("9.8.7", 1767225600)  # 2026-01-01
    path = tmp_path / METAINFO.name
    path.write_text(text, encoding="utf-8")
    validate_metainfo(path)
    release = ET.parse(path).getroot().find("releases/release")
    assert release is not None
    assert release.attrib == {"version": "9.8.7", "date": "2026-01-01"}


def test_deb_depends_on_the_system_libraries_it_links() -> None:
    build_dist = packaging_module("build_dist")
    depends, recommends = build_dist.deb_relations(
        {
            "libc.so.6",
            "libglib-2.0.so.0",
            "libgio-2.0.so.0",
            "libdbus-1.so.3",
            "libwayland-client.so.0",
        },
        (2, 35),
    )
    assert depends == "libc6 (>= 2.35), libdbus-1-3, libglib2.0-0t64 | libglib2.0-0"
    assert recommends == "libwayland-client0"
    with pytest.raises(SystemExit, match=r"libunheard-of\.so\.1"):
        build_dist.deb_relations({"libunheard-of.so.1"}, (2, 35))


def test_deb_control_fields() -> None:
    control = packaging_module("build_dist").deb_control(
        "1.0rc2", "x86_64", 1234, "libc6 (>= 2.35)", ""
    )
    fields = dict(
        line.split(": ", 1) for line in control.splitlines() if line and not line.startswith(" ")
    )
    assert fields["Package"] == "codex-link"
    assert fields["Version"] == "1.0~rc2"  # sorts before 1.0
    assert fields["Architecture"] == "amd64"
    assert fields["Installed-Size"] == "1234"
    assert fields["Section"] == "net" and fields["Priority"] == "optional"
    assert "<" in fields["Maintainer"] and fields["Maintainer"].endswith(">")
    assert fields["Description"]
    assert "Recommends" not in fields
    assert control.endswith("\n")


def test_download_names() -> None:
    names = packaging_module("distinfo").download_names("1.2.0", "x86_64")
    assert names["linux-tar"] == "codex-link-1.2.0-linux-x86_64.tar.gz"
    assert names["linux-deb"] == "codex-link_1.2.0_amd64.deb"
    assert names["macos-dmg"] == "codex-link-1.2.0-macos.dmg"
    windows = packaging_module("distinfo").download_names("1.2.0", "x64")
    assert windows["windows-setup"] == "codex-link-1.2.0-windows-x64-setup.exe"
    assert windows["windows-zip"] == "codex-link-1.2.0-windows-x64.zip"


def _fake_unpacked_download(folder: Path, tmp_path: Path) -> Path:
    """The layout of the unpacked .tar.gz, with stand-in executables."""
    build_dist = packaging_module("build_dist")
    icons = tmp_path / "icons"
    (icons / "png").mkdir(parents=True)
    for size in build_dist.HICOLOR_SIZES:
        shutil.copy2(
            REPO / "resources" / "icons" / "codex-link.svg",
            icons / "png" / f"codex-link-{size}.png",
        )
    folder.mkdir(parents=True)
    build_dist.linux_share(folder / "share", "1.0", icons, 0)
    shutil.copy2(PACKAGING / "linux" / "install-desktop-entry.sh", folder)
    for name in ("codex-link", "codex-link-tray"):
        (folder / name).write_text("#!/bin/sh\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    return folder


@pytest.mark.parametrize("where", ["codex-link", 'my apps/$HOME "quoted" 100% back\\slash'])
def test_tarball_installer_adds_a_valid_menu_entry(tmp_path: Path, where: str) -> None:
    folder = _fake_unpacked_download(tmp_path / where / "codex-link", tmp_path)
    data, bin_dir = tmp_path / "data", tmp_path / "bin"
    env = {
        **os.environ,
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(data),
        "XDG_BIN_HOME": str(bin_dir),
    }
    script = folder / "install-desktop-entry.sh"
    subprocess.run(["bash", str(script)], env=env, check=True, capture_output=True, timeout=60)

    entry = data / "applications" / "codex-link.desktop"
    validate_desktop_entry(entry)
    assert desktop_exec_argv(_desktop(entry)["Exec"]) == [str(folder / "codex-link-tray")]
    assert (data / "icons/hicolor/48x48/apps/codex-link.png").is_file()
    assert (data / "icons/hicolor/scalable/apps/codex-link.svg").is_file()
    assert (data / "metainfo/io.github.codexlink.CodexLink.metainfo.xml").is_file()
    assert (bin_dir / "codex-link").readlink() == folder / "codex-link"

    subprocess.run(
        ["bash", str(script), "--uninstall"], env=env, check=True, capture_output=True, timeout=60
    )
    assert not entry.exists()
    assert not (bin_dir / "codex-link").exists()
    assert not list((data / "icons").rglob("codex-link.*"))


def test_desktop_exec_reader_follows_the_spec() -> None:
    assert desktop_exec_argv('"/a b/\\\\$x \\\\"q\\\\"/c" --flag') == ['/a b/$x "q"/c', "--flag"]
    assert desktop_exec_argv("codex-link-tray") == ["codex-link-tray"]
