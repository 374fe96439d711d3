#!/usr/bin/env node
// The `eos-lab` executable (package.json "bin"): see src/cli/main.ts.
import { runCli } from './main.js';

runCli(process.argv.slice(2), {
  out: (line) => console.log(line),
  err: (text) => process.stderr.write(text),
  isTty: process.stderr.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
