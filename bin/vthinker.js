#!/usr/bin/env node
// This project's `vthinker` command is the engine package's (packages/engine, installed as @vthinker/engine like any
// user would); the reproduction's own commands (eval, serve, report...) come from pipeline.ts. Kept here so that
// `node bin/vthinker.js ...` works from a checkout without npx.
import '@vthinker/engine/bin/vthinker.js';
