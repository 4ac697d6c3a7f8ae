"""One way to edit Codex's files safely, shared by the HTTP-only switch and the route fix."""
