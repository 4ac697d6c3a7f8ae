"""The Codex the user runs: where it is installed, how it got there, and its version.

The facts Codex Link checks (and the version header its probes send) belong to one Codex
release, so the app names the one the user has. The `codex` on PATH comes first, since that
is what a terminal starts; then the places the installers put it, in the order a user is
likely to have them:

- npm global installs. `npm prefix -g` starts node (about half a second), so the usual
  prefixes are looked at instead: `$NPM_CONFIG_PREFIX`, `~/.npm-global` (npm's documented
  "change the prefix" recipe), `/usr/local` and `/usr` (node from a package or installer),
  `%APPDATA%\\npm` (npm's default on Windows), and the node version managers' own trees:
  nvm (`$NVM_DIR/versions/node/<v>/bin`), fnm (`$FNM_DIR/node-versions/<v>/installation`)
  and Volta (`$VOLTA_HOME/bin` shims).
- Homebrew: `/opt/homebrew/bin` (Apple silicon), `/usr/local/bin` (Intel),
  `/home/linuxbrew/.linuxbrew/bin`; the cask links `codex` there from its Caskroom.
- The binary the VS Code extension (`openai.chatgpt`) bundles, also in VS Code Insiders,
  Cursor, Windsurf and a VS Code server:
  `~/.vscode/extensions/openai.chatgpt-<version>-<platform>/bin/<os>-<arch>/codex[.exe]`
  (e.g. `bin/windows-x86_64/codex.exe`, `bin/linux-x86_64/codex`, as users report the layout
  in openai/codex issue #5174 and in scripts that run the bundled CLI).
- The desktop app: on macOS `<bundle>/Contents/Resources/codex` of `ChatGPT.app` (new
  builds) or `Codex.app` (old ones) in /Applications or ~/Applications, the places the CLI
  itself searches (`codex-rs/cli/src/desktop_app/mac.rs`, cited in sesori-ai's desktop-app
  locator); on Windows the MSIX app copies its CLI out of WindowsApps to
  `%LOCALAPPDATA%\\OpenAI\\Codex\\bin[\\<hash>]\\codex.exe` (openai/codex issues #27979 and
  #40752), and the standalone installer puts it in
  `%LOCALAPPDATA%\\Programs\\OpenAI\\Codex\\bin\\codex.exe` (duolahypercho/codex-router #68).

Finding is a few dozen `stat` calls. The version comes from the npm package.json beside
the launcher when there is one (no process at all), else from `codex --version`, run within
a deadline and cached by (path, mtime, size): a check, a window or a report never runs it
again for the same file. Nothing here raises or waits without bound.
"""

from __future__ import annotations

import json
import os
import platform as platform_module
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from codex_link.core.codex.bounded_run import run_bounded
from codex_link.core.model.codex_versions import facts_for
from codex_link.core.model.text import QT_TRANSLATE_NOOP, Text, text

VERSION_TIMEOUT_S = 5.0  # a native binary answers in ~10 ms, the npm launcher in under 1 s
NPM_PACKAGE = "@openai/codex"
EDITOR_FOLDERS = (".vscode", ".vscode-insiders", ".cursor", ".windsurf", ".vscode-server")
EXTENSION_PREFIX = "openai.chatgpt-"
DESKTOP_BUNDLES = ("ChatGPT.app", "Codex.app")  # new builds first
_VERSION = re.compile(r"\b(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)")


class InstallKind(StrEnum):
    NPM = "npm"
    HOMEBREW = "homebrew"
    EDITOR_EXTENSION = "editor extension"
    DESKTOP_APP = "desktop app"
    STANDALONE = "standalone"  # anything else: a release download, an installer, a build


@dataclass(frozen=True, slots=True)
class CodexInstall:
    """One `codex` executable found on this computer."""

    path: Path  # what the user starts (for npm: the launcher, not the binary it runs)
    kind: InstallKind
    on_path: bool  # the `codex` a terminal starts


@dataclass(frozen=True, slots=True)
class InstalledCodex:
    """The Codex in use, with its version (None: it could not be read)."""

    install: CodexInstall
    version: str | None


def _exe_names(platform: str, env: Mapping[str, str]) -> tuple[str, ...]:
    """`codex` as the shell would match it: on Windows each PATHEXT ending, in its order."""
    if platform != "win32":
        return ("codex",)
    pathext = env.get("PATHEXT") or ".COM;.EXE;.BAT;.CMD"
    return tuple(f"codex{ext.lower()}" for ext in pathext.split(";") if ext.strip())


def _runnable(path: Path, platform: str) -> bool:
    try:
        if not path.is_file():
            return False
    except OSError:
        return False
    return platform == "win32" or os.access(path, os.X_OK)


def _which(env: Mapping[str, str], platform: str) -> Path | None:
    """The `codex` the PATH of `env` starts (shutil.which reads PATHEXT from this process, not
    from `env`, so the search is done here)."""
    separator = ";" if platform == "win32" else os.pathsep
    names = _exe_names(platform, env)
    for folder in (env.get("PATH") or "").split(separator):
        if not folder.strip():
            continue
        for name in names:
            candidate = Path(folder.strip().strip('"')) / name
            if _runnable(candidate, platform):
                return candidate
    return None


def _newest_first(paths: Iterator[Path]) -> list[Path]:
    def mtime(path: Path) -> float:
        try:
            return path.stat().st_mtime
        except OSError:
            return 0.0

    return sorted(paths, key=mtime, reverse=True)


def _children(folder: Path, pattern: str) -> list[Path]:
    try:
        return _newest_first(folder.glob(pattern))
    except OSError:
        return []


def _platform_folder(platform: str, machine: str) -> str:
    """The extension's `bin/<os>-<arch>` folder for this computer."""
    system = {"win32": "windows", "darwin": "macos"}.get(platform, "linux")
    arch = {"amd64": "x86_64", "x64": "x86_64", "arm64": "aarch64"}.get(
        machine.lower(), machine.lower()
    )
    return f"{system}-{arch}"


def _known_places(
    env: Mapping[str, str], home: Path, platform: str, machine: str
) -> Iterator[tuple[Path, InstallKind]]:
    """Folders holding `codex` by the installer that puts it there, most likely first."""
    windows = platform == "win32"
    appdata = Path(env["APPDATA"]) if env.get("APPDATA") else home / "AppData/Roaming"
    local = Path(env["LOCALAPPDATA"]) if env.get("LOCALAPPDATA") else home / "AppData/Local"
    # npm: the launcher sits in <prefix>/bin on POSIX, in <prefix> itself on Windows.
    prefixes = [Path(env["NPM_CONFIG_PREFIX"])] if env.get("NPM_CONFIG_PREFIX") else []
    if windows:
        prefixes.append(appdata / "npm")
        nvm = Path(env["NVM_HOME"]) if env.get("NVM_HOME") else appdata / "nvm"
        prefixes += _children(nvm, "v*")  # nvm-windows: one folder per node version
        fnm = Path(env["FNM_DIR"]) if env.get("FNM_DIR") else appdata / "fnm"
        prefixes += _children(fnm / "node-versions", "*/installation")
        volta = Path(env["VOLTA_HOME"]) if env.get("VOLTA_HOME") else local / "Volta"
        yield from ((p, InstallKind.NPM) for p in [*prefixes, volta / "bin"])
    else:
        prefixes += [home / ".npm-global"]
        nvm = Path(env["NVM_DIR"]) if env.get("NVM_DIR") else home / ".nvm"
        prefixes += _children(nvm / "versions/node", "*")
        default_fnm = (
            home / "Library/Application Support/fnm"
            if platform == "darwin"
            else home / ".local/share/fnm"
        )
        fnm = Path(env["FNM_DIR"]) if env.get("FNM_DIR") else default_fnm
        prefixes += _children(fnm / "node-versions", "*/installation")
        yield from ((p / "bin", InstallKind.NPM) for p in prefixes)
        volta = Path(env["VOLTA_HOME"]) if env.get("VOLTA_HOME") else home / ".volta"
        yield volta / "bin", InstallKind.NPM
        # Homebrew's folders; /usr/local/bin also holds npm's (the kind is read per file).
        for folder in ("/opt/homebrew/bin", "/usr/local/bin", "/home/linuxbrew/.linuxbrew/bin"):
            yield Path(folder), InstallKind.HOMEBREW
        yield Path("/usr/bin"), InstallKind.NPM
    bin_folder = _platform_folder(platform, machine)
    for editor in EDITOR_FOLDERS:
        for extension in _children(home / editor / "extensions", EXTENSION_PREFIX + "*"):
            yield extension / "bin" / bin_folder, InstallKind.EDITOR_EXTENSION
    if platform == "darwin":
        for applications in (Path("/Applications"), home / "Applications"):
            for bundle in DESKTOP_BUNDLES:
                yield applications / bundle / "Contents/Resources", InstallKind.DESKTOP_APP
    if windows:
        desktop = local / "OpenAI/Codex/bin"
        yield desktop, InstallKind.DESKTOP_APP
        yield from ((p, InstallKind.DESKTOP_APP) for p in _children(desktop, "*"))
        yield local / "Programs/OpenAI/Codex/bin", InstallKind.STANDALONE


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return path


def npm_package_json(path: Path) -> Path | None:
    """The @openai/codex package.json of an npm launcher, or None.

    On POSIX the launcher is a link to the package's `bin/codex.js`; on Windows npm writes
    `codex.cmd`/`codex.ps1` shims into the prefix, beside its `node_modules`; a local
    install's `node_modules/.bin/codex` sits beside the package.
    """
    target = _resolved(path)
    packages = [
        folder
        for folder in (target.parent, target.parent.parent)
        if folder.name == "codex" and folder.parent.name == "@openai"
    ]
    packages.append(path.parent / "node_modules" / NPM_PACKAGE)
    if path.parent.name == ".bin":
        packages.append(path.parent.parent / NPM_PACKAGE)
    return next((p / "package.json" for p in packages if (p / "package.json").is_file()), None)


def _kind_of(path: Path, guess: InstallKind) -> InstallKind:
    """What put this file there, read from where it really lives (a link in /usr/local/bin
    may be npm's or Homebrew's)."""
    if npm_package_json(path) is not None:
        return InstallKind.NPM
    real = _resolved(path).as_posix()
    if (
        "/Cellar/" in real
        or "/Caskroom/" in real
        or "/homebrew/" in real.lower()
        or ("/.linuxbrew/" in real)
    ):
        return InstallKind.HOMEBREW
    if f"/extensions/{EXTENSION_PREFIX}" in real:
        return InstallKind.EDITOR_EXTENSION
    if "/.volta/" in real or "/Volta/" in real:  # Volta's shim runs the package it keeps
        return InstallKind.NPM
    if ".app/Contents/" in real or ("/OpenAI/Codex/bin" in real and "/Programs/" not in real):
        return InstallKind.DESKTOP_APP
    return InstallKind.STANDALONE if guess in (InstallKind.NPM, InstallKind.HOMEBREW) else guess


def find_codex_installs(
    env: Mapping[str, str],
    *,
    platform: str = sys.platform,
    user_home: Path | None = None,
    machine: str | None = None,
) -> list[CodexInstall]:
    """Every `codex` found, the one on PATH first (each file once)."""
    home = user_home if user_home is not None else _user_home(env)
    names = _exe_names(platform, env)
    found: list[CodexInstall] = []
    seen: set[Path] = set()

    def add(path: Path, kind: InstallKind, on_path: bool) -> None:
        real = _resolved(path)
        if real not in seen:
            seen.add(real)
            found.append(CodexInstall(path, _kind_of(path, kind), on_path))

    on_path = _which(env, platform)
    if on_path is not None:
        add(on_path, InstallKind.STANDALONE, True)
    arch = machine if machine is not None else platform_module.machine()
    for folder, kind in _known_places(env, home, platform, arch):
        for name in names:
            candidate = folder / name
            if _runnable(candidate, platform):
                add(candidate, kind, False)
                break
    return found


def _user_home(env: Mapping[str, str]) -> Path:
    for variable in ("HOME", "USERPROFILE"):
        if env.get(variable):
            return Path(env[variable])
    return Path.home()


def parse_version(output: str) -> str | None:
    """ "codex-cli 0.169.0" -> "0.169.0" (the first dotted version in the output)."""
    match = _VERSION.search(output)
    return match.group(1) if match else None


def _npm_version(path: Path) -> str | None:
    package = npm_package_json(path)
    if package is None:
        return None
    try:
        data = json.loads(package.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("name") != NPM_PACKAGE:
        return None
    version = data.get("version")
    return parse_version(version) if isinstance(version, str) else None


class VersionCache:
    """`codex --version` per file, run once per (path, mtime, size): an update of Codex
    changes the file, so it is read again; otherwise the answer is kept."""

    def __init__(self, timeout_s: float = VERSION_TIMEOUT_S) -> None:
        self.timeout_s = timeout_s
        self.runs = 0  # how many times `--version` was started (tests and logs read it)
        self._known: dict[tuple[str, int, int], str | None] = {}
        self._lock = threading.Lock()

    def version(self, path: Path, env: Mapping[str, str]) -> str | None:
        """The version of the Codex at `path`, or None when it cannot be told."""
        from_npm = _npm_version(path)
        if from_npm is not None:
            return from_npm
        try:
            stat = _resolved(path).stat()
        except OSError:
            return None
        key = (str(_resolved(path)), stat.st_mtime_ns, stat.st_size)
        with self._lock:  # one run per file even when two threads ask at once
            if key not in self._known:
                self._known[key] = self._run(path, env)
            return self._known[key]

    def _run(self, path: Path, env: Mapping[str, str]) -> str | None:
        self.runs += 1
        try:
            done = run_bounded([str(path), "--version"], env, self.timeout_s)
        except (OSError, subprocess.TimeoutExpired, ValueError):
            return None
        return parse_version(done.stdout) if done.returncode == 0 else None


VERSIONS = VersionCache()  # one per process: every caller shares the answers


def installed_codex(
    env: Mapping[str, str],
    *,
    platform: str = sys.platform,
    user_home: Path | None = None,
    machine: str | None = None,
    versions: VersionCache = VERSIONS,
) -> InstalledCodex | None:
    """The Codex the user runs (the one on PATH, else the first one found), with its
    version; None when there is none on this computer."""
    installs = find_codex_installs(env, platform=platform, user_home=user_home, machine=machine)
    if not installs:
        return None
    first = installs[0]
    return InstalledCodex(first, versions.version(first.path, env))


def codex_in_use() -> InstalledCodex | None:
    """`installed_codex` for this process's environment: what the tray, its window and
    dialogs show (the version is read once, at start-up, and cached)."""
    return installed_codex(os.environ)


# The installers' names, as the window and reports say them.
KIND_NAMES: dict[InstallKind, str] = {
    InstallKind.NPM: QT_TRANSLATE_NOOP("CodexLink", "npm"),
    InstallKind.HOMEBREW: QT_TRANSLATE_NOOP("CodexLink", "Homebrew"),
    InstallKind.EDITOR_EXTENSION: QT_TRANSLATE_NOOP("CodexLink", "VS Code extension"),
    InstallKind.DESKTOP_APP: QT_TRANSLATE_NOOP("CodexLink", "desktop app"),
    InstallKind.STANDALONE: QT_TRANSLATE_NOOP("CodexLink", "standalone"),
}


def codex_line(codex: InstalledCodex | None) -> Text:
    """ "Codex 0.169.0 (npm, PATH)", or "Codex not found on this computer"; says so when the
    version is not one Codex Link's facts were checked on."""
    if codex is None:
        return text(QT_TRANSLATE_NOOP("CodexLink", "Codex not found on this computer"))
    kind = text(KIND_NAMES[codex.install.kind])
    where = (
        text(QT_TRANSLATE_NOOP("CodexLink", "{kind}, PATH"), kind=kind)
        if (codex.install.on_path)
        else kind
    )
    if codex.version is None:
        return text(
            QT_TRANSLATE_NOOP("CodexLink", "Codex of unknown version ({where})"), where=where
        )
    lookup = facts_for(codex.version)
    if lookup.checked:
        return text(
            QT_TRANSLATE_NOOP("CodexLink", "Codex {version} ({where})"),
            version=codex.version,
            where=where,
        )
    return text(
        QT_TRANSLATE_NOOP(
            "CodexLink",
            "Codex {version} ({where}): not a version Codex Link's facts were checked on "
            "(it uses those of {checked})",
        ),
        version=codex.version,
        where=where,
        checked=lookup.facts.version,
    )


def describe(codex: InstalledCodex | None) -> str:
    """One English line for logs and reports, with the path:
    "Codex 0.169.0 (npm, PATH) at /usr/bin/codex"."""
    line = str(codex_line(codex))
    return line if codex is None else f"{line} at {codex.install.path}"
