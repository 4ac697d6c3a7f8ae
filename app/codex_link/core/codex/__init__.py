"""Codex's own files: where they are, what Codex will do with them, and the HTTP-only switch."""
