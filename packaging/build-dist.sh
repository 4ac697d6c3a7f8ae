#!/usr/bin/env bash
# `make dist`: the downloads for this OS, built with .venv (made, and given the `dist` extra,
# only when it lacks what the build needs: a ready .venv builds with no network).
# Arguments go to packaging/build_dist.py (e.g. `make dist ARGS="--formats tar"`).
source "$(dirname "${BASH_SOURCE[0]}")/../.ci/lib.sh"
cd "$ROOT"
if ! "$VENV/bin/python" -c 'import PyInstaller, PIL, PySide6, codex_link' >/dev/null 2>&1; then
    ensure_venv dist
fi
exec "$VENV/bin/python" "$ROOT/packaging/build_dist.py" "$@"
