# Shared helpers for the set-up scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CODEX_LINK_VENV:-$ROOT/.venv}"
CODEX_CLI_DIR="$ROOT/.cache/codex-cli"

say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# Prints the path of a Python >= 3.12, looking at PATH, pyenv, uv, and the usual install places.
find_python() {
    local candidates=() c
    [ -n "${CODEX_LINK_PYTHON:-}" ] && candidates+=("$CODEX_LINK_PYTHON")
    for c in python3.14 python3.13 python3.12 python3 python; do
        command -v "$c" >/dev/null 2>&1 && candidates+=("$(command -v "$c")")
    done
    local pyenv_root="${PYENV_ROOT:-$HOME/.pyenv}"
    if command -v pyenv >/dev/null 2>&1; then pyenv_root="$(pyenv root)"; fi
    for c in "$pyenv_root"/versions/3.1[2-9]*/bin/python3 \
             "$HOME"/.local/share/uv/python/cpython-3.1[2-9]*/bin/python3 \
             /usr/local/bin/python3.1[2-9] /usr/bin/python3.1[2-9] \
             /opt/homebrew/bin/python3.1[2-9] /Library/Frameworks/Python.framework/Versions/3.1[2-9]/bin/python3; do
        [ -x "$c" ] && candidates+=("$c")
    done
    for c in "${candidates[@]}"; do
        if PYENV_VERSION= "$c" -c 'import sys, venv; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
            PYENV_VERSION= "$c" -c 'import sys; print(sys.executable)'
            return 0
        fi
    done
    cat >&2 <<'MSG'
Codex Link needs Python 3.12 or newer, and none was found.
Install one, then run this command again:
  Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv   (or use pyenv / uv)
  macOS:          brew install python@3.12
  Windows:        winget install Python.Python.3.12
Or point CODEX_LINK_PYTHON at a python >= 3.12.
MSG
    return 1
}

# Removes a .venv that cannot serve this checkout: a link (dangling or not: a venv belongs to
# one checkout, and a link to another machine's folder broke every fresh clone once), or one
# whose Python is missing, broken or older than 3.12. Only the link itself is removed, never
# what it points at.
reset_unusable_venv() {
    if [ -L "$VENV" ]; then
        say "Removing .venv: it is a link to $(readlink "$VENV"), not a venv of this checkout"
        rm -f "$VENV"
    elif [ -e "$VENV" ] && ! "$VENV/bin/python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; then
        say "Re-creating .venv (its Python is missing, broken or older than 3.12)"
        rm -rf "$VENV"
    fi
}

# What the installed packages were made from: a different checkout folder, extras or
# pyproject.toml means installing again (a copied venv's scripts point at the old folder).
install_stamp() {
    local extras="$1"
    printf '%s\n%s\n%s\n' "$ROOT" "$extras" "$(cksum < "$ROOT/pyproject.toml")"
}

# Creates .venv with a Python >= 3.12 and installs the app (editable) with the given extras.
ensure_venv() {
    local extras="$1" py
    reset_unusable_venv
    if [ ! -x "$VENV/bin/python" ]; then
        py="$(find_python)"
        say "Creating .venv with $py"
        "$py" -m venv "$VENV"
    fi
    local stamp="$VENV/.codex-link-installed"
    # Any install of this checkout serves `app`: every extra includes the app itself.
    if [ "$extras" = "app" ] && [ -f "$stamp" ] && [ "$(sed 2d "$stamp")" = "$(install_stamp app | sed 2d)" ]; then
        return 0
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$(install_stamp "$extras")" ]; then
        say "Installing Python packages ($extras)"
        "$VENV/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
        if [ "$extras" = "app" ]; then
            "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT"
        else
            "$VENV/bin/python" -m pip install -q --disable-pip-version-check -e "$ROOT[$extras]"
        fi
        install_stamp "$extras" > "$stamp"
    fi
}
