"""The Qt user interface: renders `Snapshot`s and turns clicks into calls on `codex_link.core`.

Nothing here decides anything about networks or Codex files; see DESIGN.md ("UI").
"""
