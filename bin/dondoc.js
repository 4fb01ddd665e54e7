#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx: no separate build step.
import { register } from "tsx/esm/api";

register();
await import("../src/main/cli.ts");
