"""pytest fixtures for the loopback harness (the endpoint server and the real proxies)."""
