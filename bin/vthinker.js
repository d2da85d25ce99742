#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript engine and the project's pipeline.ts load directly.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../engine/cli.ts');
process.exitCode = await main(process.argv.slice(2));
