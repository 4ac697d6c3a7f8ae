#!/usr/bin/env bash
# Adds Codex Link to the desktop's application menu for this user (no root needed):
# the .desktop file and its icon under ~/.local/share. "Start at login" is set from the
# app's own menu (it writes ~/.config/autostart/codex-link.desktop).
# Usage: packaging/linux/install-desktop-entry.sh [path-to-codex-link-executable]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EXEC="${1:-$(command -v codex-link || true)}"
if [ -z "$EXEC" ]; then
    echo "codex-link is not on PATH; pass the path of the executable as the first argument" >&2
    exit 1
fi
DATA="${XDG_DATA_HOME:-$HOME/.local/share}"
mkdir -p "$DATA/applications" "$DATA/icons/hicolor/scalable/apps"
cp "$ROOT/resources/icons/codex-link.svg" "$DATA/icons/hicolor/scalable/apps/codex-link.svg"
sed "s|^Exec=.*|Exec=$EXEC|" "$ROOT/resources/linux/codex-link.desktop" \
    > "$DATA/applications/codex-link.desktop"
command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database "$DATA/applications" || true
echo "Installed $DATA/applications/codex-link.desktop (Exec=$EXEC)"
