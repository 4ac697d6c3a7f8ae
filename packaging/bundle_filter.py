"""Which of the files PyInstaller's Qt hooks collect a Codex Link bundle keeps.

The app loads QtCore, QtGui, QtWidgets, QtSvg and QtNetwork only. The spec excludes the other
Qt modules, and this filter drops the Qt plugins and translations those hooks still bring:
  - plugins: unused categories entirely (SQL, printing, QML tooling, EGL devices, TLS, ...),
    and within the used ones only what the app needs (platforms xcb/wayland/offscreen/minimal,
    windows, cocoa; image formats svg and ico; PNG is built into QtGui);
  - translations: only Qt's own `qtbase_<lang>.qm` for the languages the app ships.
  - on Linux, a few desktop libraries every system has (SYSTEM_LIBRARIES); on Windows,
    Qt's OpenGL fallback libraries.
Names are TOC destination paths ("PySide6/Qt/plugins/platforms/libqxcb.so"), any OS.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterable

# Plugin folders the app never uses: each may pull in big libraries (QtQml, QtQuick, QtPdf,
# OpenGL stacks, database clients) or system ones the .deb would then have to depend on.
DROP_PLUGIN_DIRS = frozenset(
    {
        "designer",
        "egldeviceintegrations",
        "generic",
        "multimedia",
        "position",
        "printsupport",
        "qmlls",
        "qmllint",
        "qmltooling",
        "renderers",
        "sceneparsers",
        "sqldrivers",
        "tls",
        "vectorimageformats",
        "virtualkeyboard",
        "wayland-graphics-integration-client",
        "wayland-graphics-integration-server",
        "wayland-inputdevice-integration",
        "webview",
        "xcbglintegrations",
    }
)

# Folders of which only some plugins stay (file-name patterns, without "lib" and extension).
KEEP_ONLY = {
    "platforms": re.compile(r"q(xcb|wayland|wayland-generic|offscreen|minimal|windows|cocoa)"),
    "imageformats": re.compile(r"q(svg|ico)"),
    "platformthemes": re.compile(r"qxdgdesktopportal"),
    "platforminputcontexts": re.compile(r"(compose|ibus)platforminputcontextplugin"),
    "wayland-shell-integration": re.compile(r"xdg-shell"),
}

_PLUGIN = re.compile(r"(?:^|/)PySide6/(?:Qt/)?plugins/([^/]+)/([^/]+)$")
_TRANSLATION = re.compile(r"(?:^|/)PySide6/(?:Qt/)?translations/([^/]+)$")
_QML = re.compile(r"(?:^|/)PySide6/(?:Qt/)?qml/")
_STEM = re.compile(r"^(?:lib)?(.+?)(?:\.so.*|\.dll|\.dylib)$")


# Linux libraries taken from the system rather than the build machine: every desktop has
# them, and they must match the system's own configuration and modules (fonts.conf, GIO
# modules, the D-Bus daemon). The .deb depends on their packages; the libraries only they
# linked (pcre2, libmount, libsystemd, ...) go too (`prune_unreachable`).
SYSTEM_LIBRARIES = re.compile(
    r"lib(glib-2\.0|gobject-2\.0|gio-2\.0|gmodule-2\.0|gthread-2\.0|fontconfig|freetype"
    r"|dbus-1)\.so(\.\d+)*"
)

# Windows: Qt's OpenGL fallbacks (the software renderer alone is 20 MB). The app draws with
# QPainter on raster widgets and never creates an OpenGL context.
OPENGL_FALLBACKS = re.compile(r"(opengl32sw|d3dcompiler_\d+|libEGL|libGLESv2)\.dll", re.I)


def keep(dest: str, languages: Iterable[str], platform: str = sys.platform) -> bool:
    """Whether a file that PyInstaller collected at `dest` stays in the bundle."""
    dest = dest.replace("\\", "/")
    filename = dest.rsplit("/", 1)[-1]
    if platform.startswith("linux") and SYSTEM_LIBRARIES.fullmatch(filename):
        return False
    if OPENGL_FALLBACKS.fullmatch(filename):
        return False
    if _QML.search(dest):
        return False
    plugin = _PLUGIN.search(dest)
    if plugin is not None:
        folder, filename = plugin.groups()
        if folder in DROP_PLUGIN_DIRS:
            return False
        wanted = KEEP_ONLY.get(folder)
        if wanted is None:
            return True
        stem = _STEM.match(filename)
        return stem is not None and wanted.fullmatch(stem.group(1)) is not None
    translation = _TRANSLATION.search(dest)
    if translation is not None:
        return translation.group(1) in {f"qtbase_{lang}.qm" for lang in languages}
    return True


def app_languages(translations_dir: str) -> list[str]:
    """The languages the app has a translation for: codexlink_<lang>.qm in resources."""
    from pathlib import Path

    found = sorted(Path(translations_dir).glob("codexlink_*.qm"))
    return [path.stem.removeprefix("codexlink_") for path in found]


# The resource files an installed wheel ships (pyproject.toml, package-data of
# codex_link.resources): the bundle ships the same ones, not the .ts sources or caches.
RESOURCE_PATTERNS = ("icons/*.svg", "translations/*.qm", "linux/*.desktop", "linux/*.xml")


def stage_package(root: str, dest: str) -> list[str]:
    """Copies the import package as installed (app/codex_link plus resources/ as
    codex_link/resources) into `dest`, for PyInstaller to analyse; returns its module names.

    PyInstaller finds modules on sys.path only, not through the editable install's import
    hook, and codex_link.resources lives outside app/: the staged copy is the package as a
    wheel lays it out.
    """
    import shutil
    from pathlib import Path

    source, target = Path(root), Path(dest)
    package = target / "codex_link"
    if package.exists():
        shutil.rmtree(package)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(source / "app" / "codex_link", package, ignore=ignore)
    resources = package / "resources"
    resources.mkdir()
    shutil.copy2(source / "resources" / "__init__.py", resources / "__init__.py")
    for pattern in RESOURCE_PATTERNS:
        for path in sorted((source / "resources").glob(pattern)):
            relative = path.relative_to(source / "resources")
            (resources / relative.parent).mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, resources / relative)
    modules = []
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(target).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules.append(".".join(parts))
    return modules


def resource_datas(staged: str) -> list[tuple[str, str]]:
    """(source, destination folder) pairs that collect the staged resources as data."""
    from pathlib import Path

    base = Path(staged) / "codex_link" / "resources"
    pairs = []
    for pattern in RESOURCE_PATTERNS:
        for path in sorted(base.glob(pattern)):
            folder = Path("codex_link/resources") / path.parent.relative_to(base)
            pairs.append((str(path), folder.as_posix()))
    return pairs


Entry = tuple[str, str, str]


def prune_unreachable(
    kept: list[Entry],
    dropped: list[Entry],
    imports_of: Callable[[str], Iterable[tuple[str, str | None]]],
) -> list[Entry]:
    """`kept` without the libraries that only dropped plugins needed.

    PyInstaller collects each plugin's link-time dependencies (a dropped GTK theme plugin
    brings GTK, Pango, Cairo, ATK...). A kept library goes too when a dropped one links it,
    directly or not, and no other kept binary does. `imports_of(path)` gives a binary's
    direct imports as (name, resolved path or None); an import matches a collected file by
    real path, else by file name.
    """
    from pathlib import Path

    def key(path: str) -> str:
        return str(Path(path).resolve())

    by_path = {key(src): dest for dest, src, _kind in kept}
    by_name: dict[str, str] = {}
    for dest, src, _kind in kept:
        by_name.setdefault(Path(dest).name, key(src))
        by_name.setdefault(Path(src).name, key(src))

    def links(path: str) -> list[str]:
        found = []
        for name, resolved in imports_of(path):
            if resolved is not None and key(resolved) in by_path:
                found.append(key(resolved))
            elif Path(name).name in by_name:
                found.append(by_name[Path(name).name])
        return found

    def closure(roots: Iterable[str]) -> set[str]:
        seen: set[str] = set()
        stack = list(roots)
        while stack:
            path = stack.pop()
            if path in seen:
                continue
            seen.add(path)
            stack.extend(links(path))
        return seen

    dropped_paths = [key(src) for _dest, src, _kind in dropped if Path(src).exists()]
    only_for_dropped = {path for path in closure(dropped_paths) if path in by_path}
    roots = [path for path in by_path if path not in only_for_dropped]
    needed = closure(roots)
    return [
        entry for entry in kept if key(entry[1]) not in only_for_dropped or key(entry[1]) in needed
    ]


def drop_dangling_symlinks(datas: list[Entry], binaries: list[Entry]) -> list[Entry]:
    """SYMLINK entries (dest -> target dest) whose target is no longer collected."""
    present = {dest.replace("\\", "/") for dest, _src, _kind in [*binaries, *datas]}
    return [
        entry for entry in datas if entry[2] != "SYMLINK" or entry[1].replace("\\", "/") in present
    ]


def elf_needed(path: str) -> list[tuple[str, str | None]]:
    """A Linux binary's direct imports (its DT_NEEDED entries), unresolved.

    PyInstaller's own `get_imports` asks ldd there, which lists every library loaded in the
    end, not the ones this binary links: no use for telling who needs what.
    """
    import subprocess

    out = subprocess.run(
        ["readelf", "-d", "-W", path], capture_output=True, text=True, check=False
    ).stdout
    return [
        (m.group(1), None) for m in re.finditer(r"\(NEEDED\)\s+Shared library: \[([^]]+)\]", out)
    ]
