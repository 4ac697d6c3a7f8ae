#!/usr/bin/env bash
# Adds Codex Link to this user's application menu (no root needed): the .desktop file, its
# icons, and the `codex-link` / `codex-link-tray` commands in ~/.local/bin. "Start at login"
# is set from the app's own menu (it writes ~/.config/autostart/codex-link.desktop).
#
# From the unpacked download (codex-link-<version>-linux-<arch>.tar.gz):
#     ./install-desktop-entry.sh              install for this user
#     ./install-desktop-entry.sh --uninstall  remove what it installed
# From a source checkout (the app installed with pip):
#     packaging/linux/install-desktop-entry.sh [path-to-codex-link-tray]
#
# Honours XDG_DATA_HOME (default ~/.local/share) and XDG_BIN_HOME (default ~/.local/bin).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
BIN="${XDG_BIN_HOME:-$HOME/.local/bin}"
ENTRY="$DATA/applications/codex-link.desktop"

ACTION=install
if [ "${1:-}" = "--uninstall" ]; then ACTION=uninstall; shift; fi
if [ "${1:-}" = "-h" ] || [ "${1:-}" = "--help" ]; then
    sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
fi

if [ -x "$HERE/codex-link-tray" ] && [ -d "$HERE/share" ]; then
    MODE=bundle                       # the unpacked download: everything is next to this script
    EXEC="$HERE/codex-link-tray"
    SHARE="$HERE/share"
    DESKTOP_SOURCE="$SHARE/applications/codex-link.desktop"
else
    MODE=source                       # packaging/linux/ in a checkout
    ROOT="$(cd "$HERE/../.." && pwd)"
    EXEC="${1:-$(command -v codex-link-tray || command -v codex-link || true)}"
    SHARE=""
    DESKTOP_SOURCE="$ROOT/resources/linux/codex-link.desktop"
    if [ "$ACTION" = install ] && [ -z "$EXEC" ]; then
        echo "codex-link-tray is not on PATH; pass the path of the executable as the first argument" >&2
        exit 1
    fi
fi

# The Exec value per the Desktop Entry spec: quoted when needed, with \ " ` $ escaped inside
# the quotes (a backslash is doubled again by the string escape rule) and % doubled.
desktop_exec() {
    local path="$1"
    case "$path" in
        *[!A-Za-z0-9_./+-]*)
            path="${path//\\/\\\\\\\\}"
            path="${path//\"/\\\\\"}"
            path="${path//\`/\\\\\`}"
            path="${path//\$/\\\\\$}"
            path="${path//%/%%}"
            printf '"%s"' "$path" ;;
        *) printf '%s' "$path" ;;
    esac
}

refresh_caches() {
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$DATA/icons/hicolor" 2>/dev/null || true
    fi
}

if [ "$ACTION" = uninstall ]; then
    rm -f "$ENTRY" "$DATA/metainfo/io.github.codexlink.CodexLink.metainfo.xml"
    find "$DATA/icons/hicolor" -path '*/apps/codex-link.*' -delete 2>/dev/null || true
    for name in codex-link codex-link-tray; do
        # only links to this copy: a codex-link installed otherwise stays
        if [ -L "$BIN/$name" ] && [ "$(readlink "$BIN/$name")" = "$HERE/$name" ]; then
            rm -f "$BIN/$name"
        fi
    done
    refresh_caches
    echo "Removed Codex Link from the application menu ($ENTRY)"
    exit 0
fi

mkdir -p "$DATA/applications" "$DATA/icons/hicolor/scalable/apps"
if [ "$MODE" = bundle ]; then
    cp -R "$SHARE/icons/hicolor/." "$DATA/icons/hicolor/"
    mkdir -p "$DATA/metainfo"
    cp "$SHARE/metainfo/"*.xml "$DATA/metainfo/"
    mkdir -p "$BIN"
    for name in codex-link codex-link-tray; do
        if [ ! -e "$BIN/$name" ] || [ -L "$BIN/$name" ]; then
            ln -sfn "$HERE/$name" "$BIN/$name"
        else
            echo "Left $BIN/$name alone (not a link made by this script)" >&2
        fi
    done
else
    cp "$ROOT/resources/icons/codex-link.svg" "$DATA/icons/hicolor/scalable/apps/codex-link.svg"
fi

EXEC_VALUE="$(desktop_exec "$EXEC")"
TMP="$ENTRY.tmp.$$"
while IFS= read -r line || [ -n "$line" ]; do
    case "$line" in
        Exec=*) printf 'Exec=%s\n' "$EXEC_VALUE" ;;
        TryExec=*) ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$DESKTOP_SOURCE" > "$TMP"
mv "$TMP" "$ENTRY"
refresh_caches

echo "Installed $ENTRY (Exec=$EXEC_VALUE)"
if [ "$MODE" = bundle ]; then
    case ":$PATH:" in
        *":$BIN:"*) echo "The commands codex-link and codex-link-tray are in $BIN" ;;
        *) echo "Linked codex-link and codex-link-tray in $BIN (not on your PATH yet)" ;;
    esac
fi
