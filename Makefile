# Two commands do everything on a fresh clone:
#   make run    install the app into .venv and start it (tray app)
#   make test   install what the tests need (venv, Debian packages when root, Codex CLI) and run them all
#   make dist   build the downloads that need no Python for this OS into dist/ (packaging/README.md)
.PHONY: run test bench dist
ARGS ?=

run:
	bash .ci/run-app $(ARGS)

test:
	bash .ci/test $(ARGS)

bench:
	bash .ci/setup-tests && .venv/bin/python -m bench $(ARGS)

dist:
	bash packaging/build-dist.sh $(ARGS)
