#!/usr/bin/env python
"""Build the SPA (frontend/ → frontend/dist) only when its sources changed.

`npm ci` runs when package.json / package-lock.json changed since the last install, `npm run build`
when those or anything under frontend/src, index.html, public/ or the build configuration changed
since the last build (a SHA-256 of the inputs against a stamp file). Without npm it says so and
exits 0 (or 1 with --require): the API works without the SPA.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FRONTEND = ROOT / "frontend"
PACKAGE_FILES = ["package.json", "package-lock.json"]
BUILD_INPUTS = [
    *PACKAGE_FILES,
    "index.html",
    "vite.config.ts",
    "tsconfig.json",
    "tsconfig.app.json",
    "tsconfig.node.json",
    "src",
    "public",
]
INSTALL_STAMP = FRONTEND / "node_modules" / ".ap-install-stamp"
BUILD_STAMP = FRONTEND / "node_modules" / ".ap-build-stamp"


def say(message: str) -> None:
    print(f"\033[1;36m[spa]\033[0m {message}", flush=True)


def digest(names: list[str]) -> str:
    sha = hashlib.sha256()
    for name in names:
        path = FRONTEND / name
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.is_file():
                sha.update(str(file.relative_to(FRONTEND)).encode() + b"\0" + file.read_bytes() + b"\0")
    return sha.hexdigest()


def stamp_matches(stamp: Path, value: str) -> bool:
    return stamp.is_file() and stamp.read_text().strip() == value


def run(*command: str) -> None:
    subprocess.run(command, cwd=FRONTEND, check=True)


def build(*, require: bool = False) -> bool:
    """True when frontend/dist is up to date afterwards."""
    npm = shutil.which("npm")
    if npm is None:
        say("npm not found: the SPA is not built (the API still works). Install Node.js 20+ to get the web app.")
        return not require and (FRONTEND / "dist" / "index.html").is_file()
    install_hash = digest(PACKAGE_FILES)
    if not stamp_matches(INSTALL_STAMP, install_hash) or not (FRONTEND / "node_modules").is_dir():
        started = time.perf_counter()
        say("installing the SPA's npm packages (npm ci)")
        run(npm, "ci", "--no-audit", "--no-fund", "--loglevel=error")
        INSTALL_STAMP.write_text(install_hash)
        say(f"npm ci took {time.perf_counter() - started:.1f} s")
    build_hash = digest(BUILD_INPUTS)
    if stamp_matches(BUILD_STAMP, build_hash) and (FRONTEND / "dist" / "index.html").is_file():
        return True
    started = time.perf_counter()
    say("building the SPA (npm run build)")
    run(npm, "run", "build", "--silent")
    BUILD_STAMP.write_text(build_hash)
    say(f"built frontend/dist in {time.perf_counter() - started:.1f} s")
    return True


if __name__ == "__main__":
    try:
        ok = build(require="--require" in sys.argv)
    except subprocess.CalledProcessError as exc:
        say(f"failed: {' '.join(map(str, exc.cmd))} exited with {exc.returncode}")
        sys.exit(1)
    sys.exit(0 if ok else 1)
