"""Codex Link: tells whether OpenAI Codex can use WebSockets on this network, and switches
Codex to its HTTP-only provider (and back) without damaging config.toml."""

__version__ = "0.1.0"
