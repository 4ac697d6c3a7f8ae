"""The route fix: writes a working proxy where Codex reads it at every start."""
