// Typed ESLint that enforces the layout of CONVENTIONS.md: which folder may import what,
// no floating promises, no import cycles, and no ambient time or env where they don't belong.
import { readdirSync } from "node:fs";
import { dirname, relative, resolve } from "node:path";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import importX from "eslint-plugin-import-x";
import globals from "globals";

/** The channels: one folder each under bots/ (the list lives in src/domain/entities.ts; the folders follow it). */
const CHANNELS = readdirSync(new URL("./bots/", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name);

/** The folders whose public surface is their index.ts: another folder imports only that file. */
const MODULES = ["src/domain", "src/app", "src/store", "src/http", "src/config", "src/files", "src/main", "jobs", ...CHANNELS.map((c) => `bots/${c}`)];
const ROOT = dirname(new URL(import.meta.url).pathname);
const moduleOf = (file) => {
  const rel = relative(ROOT, file).split("\\").join("/");
  return MODULES.find((m) => rel === m || rel.startsWith(`${m}/`)) ?? null;
};

/** CONVENTIONS.md habit 2: a folder's index.ts is what others may use; no deep imports across folders. */
const noDeepImports = {
  meta: { type: "problem", messages: { deep: "Import {{module}}/index.ts, not a file behind it ({{file}}): a folder's index.ts is its public surface." } },
  create(context) {
    const from = moduleOf(context.filename);
    const check = (node) => {
      const spec = node.source?.value;
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = resolve(dirname(context.filename), spec);
      const to = moduleOf(target);
      // src/main is the composition root: only bin/dondoc.js starts it (zones forbid the rest).
      if (!to || to === from || to === "src/main") return;
      if (relative(ROOT, target).split("\\").join("/") === `${to}/index.ts`) return;
      context.report({ node: node.source, messageId: "deep", data: { module: to, file: relative(ROOT, target) } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

/** Package bans per folder (no-restricted-imports). */
const banned = (names, message) => ({
  paths: names.map((name) => ({ name, message })),
  patterns: [{ group: names.map((n) => `${n}/*`), message }],
});
const IO_PACKAGES = ["drizzle-orm", "drizzle-kit", "pg", "@electric-sql/pglite", "bullmq", "ioredis", "fastify", "zca-js", "pino", "mammoth"];
const nodeBuiltins = { regex: "^node:", message: "domain/ and app/ do no I/O: take it through a port." };

/** Time and env arrive as values (CONVENTIONS.md habit 5). */
const ambientTime = [
  { selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']", message: "Use the Clock port, not Date.now()." },
  { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: "Use the Clock port, not new Date()." },
];
const ambientEnv = {
  selector: "MemberExpression[object.name='process'][property.name='env']",
  message: "Only src/config reads process.env; take config as a value.",
};

/** Folder → folders it may not import (import-x/no-restricted-paths zones). */
const zones = [
  { target: "./src/domain", from: ["./src/app", "./src/store", "./src/http", "./src/config", "./src/main", "./src/files", "./bots", "./jobs"], message: "domain/ imports nothing outside domain/." },
  { target: "./src/app", from: ["./src/store", "./src/http", "./src/config", "./src/main", "./src/files", "./bots", "./jobs"], message: "app/ imports domain/ only." },
  { target: "./src/store", from: ["./src/http", "./src/main", "./bots", "./jobs"], message: "store/ implements app ports; it does not reach up." },
  { target: "./src/http", from: ["./src/store", "./src/main", "./bots", "./jobs"], message: "http/ gets its dependencies from buildApp(deps); channel plugins are passed in." },
  { target: "./src/config", from: ["./src/app", "./src/store", "./src/http", "./src/main", "./bots", "./jobs"], message: "config/ stands alone." },
  { target: "./src/files", from: ["./src/store", "./src/http", "./src/main", "./src/config", "./bots", "./jobs"], message: "files/ reads and writes documents: it imports domain/ and app/ only." },
  { target: "./bots", from: ["./src/store", "./src/http", "./src/main", "./jobs", "./src/config"], message: "bots/ import domain/, app/ports and their SDK only." },
  { target: "./jobs", from: ["./bots", "./src/store", "./src/http", "./src/main"], message: "jobs/ import bullmq, app/ and domain/ only." },
  { target: ["./src/domain", "./src/app", "./src/store", "./src/http", "./src/config", "./src/files", "./bots", "./jobs"], from: "./src/main", message: "Nothing imports main/: it is the composition root." },
  ...CHANNELS.map((c) => ({
    target: `./bots/${c}`,
    from: "./bots",
    except: [`./${c}`, "./README.md"],
    message: "A bot never imports another bot.",
  })),
];

export default tseslint.config(
  { ignores: ["node_modules/", "data/", "migrations/", "coverage/", "test-results/"] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ["*.js", "bin/*.js"] }, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { "import-x": importX, local: { rules: { "no-deep-imports": noDeepImports } } },
    settings: { "import-x/resolver": { node: { extensions: [".ts", ".js"] } } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // An async closer or handler without await is fine: the interface asks for a promise.
      "@typescript-eslint/require-await": "off",
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
      "import-x/no-restricted-paths": ["error", { zones }],
      "local/no-deep-imports": "error",
      "no-restricted-syntax": ["error", ambientEnv],
    },
  },
  {
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { ...banned(IO_PACKAGES, "domain/ is pure."), patterns: [...banned(IO_PACKAGES, "domain/ is pure.").patterns, nodeBuiltins] }],
      "no-restricted-syntax": ["error", ambientEnv, ...ambientTime],
    },
  },
  {
    files: ["src/app/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { ...banned(IO_PACKAGES, "app/ talks to the world through ports."), patterns: [...banned(IO_PACKAGES, "app/ talks to the world through ports.").patterns, nodeBuiltins] }],
      "no-restricted-syntax": ["error", ambientEnv, ...ambientTime],
    },
  },
  {
    files: ["bots/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", banned(["drizzle-orm", "pg", "@electric-sql/pglite", "bullmq"], "bots/ never touch the store or the queue.")],
    },
  },
  {
    files: ["jobs/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", banned(["drizzle-orm", "pg", "@electric-sql/pglite", "fastify", "zca-js"], "jobs/ reach the store through app/ ports.")],
    },
  },
  {
    // The config loader is the one reader of process.env; tests and scripts set up child processes.
    files: ["src/config/load.ts", "test/**/*.ts", "scripts/**/*.ts", "bench/**/*.ts", "*.config.ts"],
    rules: { "no-restricted-syntax": "off" },
  },
  {
    // Vitest's asymmetric matchers (expect.stringContaining, …) are typed `any`. Tests and benches
    // may reach behind a folder's surface to test its parts.
    files: ["test/**/*.ts", "bench/**/*.ts", "scripts/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-assignment": "off", "local/no-deep-imports": "off" },
  },
  {
    files: ["**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ["*.js", "bin/*.js", "src/**/*.js"],
    languageOptions: { globals: globals.node },
  },
  {
    // The pages' own scripts run in the browser.
    files: ["src/http/web/assets/*.js"],
    languageOptions: { globals: globals.browser, sourceType: "script" },
  },
  {
    files: ["**/*.mjs"],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { globals: globals.node },
  },
);
