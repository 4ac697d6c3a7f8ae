"""One module per `codex-link` subcommand; each has `register(subparsers)`."""
