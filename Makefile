# Two commands do everything on a fresh clone:
#   make run    install the app into .venv and start it (tray app)
#   make test   install what the tests need (venv, Debian packages when root, Codex CLI) and run them all
.PHONY: run test bench
ARGS ?=

run:
	bash .ci/run-app $(ARGS)

test:
	bash .ci/test $(ARGS)

bench:
	bash .ci/setup-tests && .venv/bin/python -m bench $(ARGS)
