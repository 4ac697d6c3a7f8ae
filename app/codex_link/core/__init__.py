"""Everything Codex Link decides, with no Qt: config reading and editing, probing, verdicts,
the monitor. The UI only renders what this package returns."""
