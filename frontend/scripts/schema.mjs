#!/usr/bin/env node
// Regenerates src/api/schema.d.ts from the API's OpenAPI schema.
//   npm run schema                         -> from `manage.py spectacular` (no server needed)
//   npm run schema -- http://127.0.0.1:8000  -> from a running server's /api/schema/
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const frontend = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const root = resolve(frontend, "..");
const cacheDir = join(frontend, "node_modules", ".cache");
const jsonPath = join(cacheDir, "openapi.json");
const server = process.argv[2];

mkdirSync(cacheDir, { recursive: true });
if (server) {
  const response = await fetch(new URL("/api/schema/?format=json", server), {
    headers: { Accept: "application/vnd.oai.openapi+json" },
  });
  if (!response.ok) throw new Error(`GET /api/schema/ answered ${response.status}`);
  writeFileSync(jsonPath, await response.text());
} else {
  const venvPython = join(root, ".venv", "bin", "python");
  const python = existsSync(venvPython) ? venvPython : "python3";
  const json = execFileSync(python, ["manage.py", "spectacular", "--format", "openapi-json"], {
    cwd: root,
    env: { DEBUG: "1", ...process.env, DJANGO_SETTINGS_MODULE: "agent_platform.settings.base" },
    maxBuffer: 64 * 1024 * 1024,
  });
  writeFileSync(jsonPath, json);
}
execFileSync(
  join(frontend, "node_modules", ".bin", "openapi-typescript"),
  [jsonPath, "-o", join(frontend, "src", "api", "schema.d.ts")],
  { stdio: "inherit" },
);
