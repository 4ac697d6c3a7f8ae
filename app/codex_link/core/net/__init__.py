"""Probing the paths Codex uses (HTTP/SSE and WebSocket) along the routes Codex uses."""
