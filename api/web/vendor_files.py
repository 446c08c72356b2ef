"""Which front-end files the pages use, and the copy of them into package data (``api/static/vendor/``) that the
wheel build and ``./dev.sh`` make, so a non-editable install serves them without a checkout. Standard library
only: setup.py loads this file by path, before any dependency is installed."""
from __future__ import annotations

import fnmatch
import shutil
from pathlib import Path

PACKAGES = {  # URL name → folder under node_modules with the browser builds
    "bpmn-js": "bpmn-js/dist",
    "json-editor": "@json-editor/json-editor/dist",
    "swagger-ui": "swagger-ui-dist",
    "bpmnlint": "bpmn-js-bpmnlint/dist/assets",
    "properties-panel": "@bpmn-io/properties-panel/dist/assets",
    "lint": ".mtcflow",  # frontend/build.cjs: the lint rules and the properties panel, bundled at setup
}
# Never served: source maps, unminified duplicates, npm metadata and the ES-module builds of Swagger UI.
SKIP = ("*.map", "*.development.js", "nonmin", "package.json", "README.md", "log.*", "swagger-ui-es-bundle*",
        "index.html")
PACKAGE_DATA = Path(__file__).resolve().parent.parent / "static" / "vendor"


def _ignore(_folder: str, names: list[str]) -> set[str]:
    return {n for n in names if any(fnmatch.fnmatch(n, pattern) for pattern in SKIP)}


def _package_root(node_modules: Path, folder: str) -> Path:
    parts = folder.split("/")
    return node_modules.joinpath(*parts[:2] if parts[0].startswith("@") else parts[:1])


def complete(folder: Path) -> bool:
    return all((folder / name).is_dir() for name in PACKAGES)


def collect(node_modules: Path, dest: Path = PACKAGE_DATA) -> bool:
    """Copy every listed folder from ``node_modules`` into ``dest/<name>/`` (replacing an older copy); False,
    copying nothing, when any of them is missing (npm ci or frontend/build.cjs has not run)."""
    sources = {name: node_modules / folder for name, folder in PACKAGES.items()}
    if not all(path.is_dir() for path in sources.values()):
        return False
    for name, source in sources.items():
        target = dest / name
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(source, target, ignore=_ignore)
        licence = _package_root(node_modules, PACKAGES[name]) / "LICENSE"  # redistributed with its licence
        if licence.is_file() and not (target / "LICENSE").exists():
            shutil.copy(licence, target / "LICENSE")
    return True


if __name__ == "__main__":  # python api/web/vendor_files.py [node_modules]
    import sys

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "node_modules"
    if not collect(root):
        sys.exit(f"front-end packages missing under {root}: run npm ci and node frontend/build.cjs")
    print(f"copied the front-end builds into {PACKAGE_DATA}")
