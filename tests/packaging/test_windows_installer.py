"""The Windows installer script (packaging/windows/make_iss.py) and version resource, checked
as text here: Inno Setup and the executables themselves are built by the release workflow."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.packaging import PACKAGING, packaging_module


def _generate(tmp_path: Path, version: str) -> str:
    out = tmp_path / "codex-link.iss"
    subprocess.run(
        [
            sys.executable,
            str(PACKAGING / "windows" / "make_iss.py"),
            "--version",
            version,
            "--bundle",
            str(tmp_path / "bundle"),
            "--output-dir",
            str(tmp_path / "dist"),
            "--icon",
            str(tmp_path / "i.ico"),
            "--out",
            str(out),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: how Inno Setup knows it is UTF-8
    return raw.decode("utf-8-sig")


def _section(script: str, name: str) -> list[str]:
    match = re.search(rf"^\[{name}\]\n(.*?)(?=^\[|\Z)", script, re.M | re.S)
    assert match, f"no [{name}] section"
    return [line for line in match.group(1).splitlines() if line and not line.startswith(";")]


def _defines(script: str) -> dict[str, str]:
    return dict(re.findall(r'^#define (\w+) "([^"]*)"$', script, re.M))


def _expand(line: str, defines: dict[str, str]) -> str:
    return re.sub(r"\{#(\w+)\}", lambda m: defines[m.group(1)], line)


def test_installer_script_has_the_version_and_installs_per_user(tmp_path: Path) -> None:
    script = _generate(tmp_path, "1.4.2rc1")
    defines = _defines(script)
    setup = dict(line.split("=", 1) for line in _section(script, "Setup"))
    assert defines["AppVersion"] == "1.4.2rc1"
    assert _expand(setup["AppVersion"], defines) == "1.4.2rc1"
    assert setup["VersionInfoVersion"] == "1.4.2.0"
    assert setup["PrivilegesRequired"] == "lowest"
    assert _expand(setup["DefaultDirName"], defines) == r"{localappdata}\Programs\Codex Link"
    assert setup["OutputBaseFilename"] == "codex-link-1.4.2rc1-windows-x64-setup"
    assert setup["AppId"] == "{{8C0F5E7A-3B1D-4E57-9A2C-6D4B1F0E9C31}"  # fixed: upgrades work
    assert setup["SourceDir"] == str(tmp_path / "bundle")
    assert setup["SetupIconFile"] == str(tmp_path / "i.ico")
    assert re.search(r"@[A-Z_]+@", script) is None  # every placeholder filled in


def test_start_menu_and_start_at_login_point_at_the_tray_executable(tmp_path: Path) -> None:
    script = _generate(tmp_path, "0.3.0")
    defines = _defines(script)
    icons = [_expand(line, defines) for line in _section(script, "Icons")]
    assert any(
        line.startswith(r'Name: "{autoprograms}\Codex Link"')
        and r'Filename: "{app}\codex-link-tray.exe"' in line
        for line in icons
    )

    registry = [_expand(line, defines) for line in _section(script, "Registry")]
    run_key = r'Subkey: "Software\Microsoft\Windows\CurrentVersion\Run"'
    # The app's own "Start at login" uses this value name (codex_link.ui.autostart).
    from codex_link.ui.autostart import WINDOWS_VALUE

    assert WINDOWS_VALUE == "Codex Link"
    writes = [line for line in registry if "Tasks: startatlogin" in line]
    assert len(writes) == 1
    assert "Root: HKCU" in writes[0] and run_key in writes[0]
    assert 'ValueName: "Codex Link"' in writes[0]
    # the quoted path, as the app writes it ("…\Codex Link\codex-link-tray.exe")
    assert 'ValueData: """{app}\\codex-link-tray.exe"""' in writes[0]
    assert "uninsdeletevalue" in writes[0]
    # removed on uninstall whoever wrote it (the installer's task or the app's menu)
    removals = [line for line in registry if "ValueType: none" in line]
    assert len(removals) == 1
    assert run_key in removals[0] and 'ValueName: "Codex Link"' in removals[0]
    assert "Flags: uninsdeletevalue" in removals[0] and "Tasks:" not in removals[0]
    assert any(line.startswith('Name: "startatlogin"') for line in _section(script, "Tasks"))


def test_uninstaller_removes_the_files(tmp_path: Path) -> None:
    script = _generate(tmp_path, "0.3.0")
    assert 'Type: filesandordirs; Name: "{app}"' in _section(script, "UninstallDelete")
    files = _section(script, "Files")
    assert files == [
        'Source: "*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs'
    ]


def test_installer_refuses_a_value_it_cannot_quote(tmp_path: Path) -> None:
    make_iss = packaging_module("make_iss")
    with pytest.raises(ValueError, match="BUNDLE_DIR"):
        make_iss.render("1.0", 'C:\\a"b', tmp_path, tmp_path / "i.ico")


class _Recorder:
    """Stands in for PyInstaller's version-info classes (they import pefile, Windows only)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        return {"type": self.name, "args": args, **kwargs}


def test_windows_version_resource_comes_from_the_version() -> None:
    distinfo = packaging_module("distinfo")
    text = distinfo.windows_version_file("2.5.1")
    names = (
        "VSVersionInfo",
        "FixedFileInfo",
        "StringFileInfo",
        "StringTable",
        "StringStruct",
        "VarFileInfo",
        "VarStruct",
    )
    info = eval(text, {name: _Recorder(name) for name in names})  # as PyInstaller reads it
    assert info["type"] == "VSVersionInfo"
    assert info["ffi"]["filevers"] == (2, 5, 1, 0) == info["ffi"]["prodvers"]
    table = info["kids"][0]["args"][0][0]
    strings = {entry["args"][0]: entry["args"][1] for entry in table["args"][1]}
    assert strings["ProductVersion"] == strings["FileVersion"] == "2.5.1"
    assert strings["ProductName"] == "Codex Link"


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("1.2rc1", (1, 2, 0, 0)),
        ("3.4.5.6.7", (3, 4, 5, 6)),
        ("2.0.1.dev3", (2, 0, 1, 0)),
    ],
)
def test_numeric_version(version: str, numbers: tuple[int, ...]) -> None:
    assert packaging_module("distinfo").numeric_version(version) == numbers
