"""The dependency direction written in CONTRIBUTING.md holds for every import in the code.

The rule is the ``layers`` block of CONTRIBUTING.md: each app may import only the apps listed
after it. Also: no code outside an ``api/`` package imports from one, and no app imports
another app's private (``_name``) helpers.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def declared_layers() -> dict[str, set[str]]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    block = re.search(r"```layers\n(.*?)```", text, re.S)
    assert block, "CONTRIBUTING.md has no ```layers block"
    layers = {}
    for line in block.group(1).strip().splitlines():
        app, _colon, allowed = line.partition(":")
        layers[app.strip()] = set(allowed.split())
    return layers


LAYERS = declared_layers()


def imports_of(path: Path):
    """(module, names) of every absolute import in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module, [alias.name for alias in node.names]
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, []


def code_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def test_the_layers_block_names_every_app_and_only_known_ones():
    apps_on_disk = {p.parent.name for p in ROOT.glob("*/apps.py")}
    assert set(LAYERS) == apps_on_disk
    for app, allowed in LAYERS.items():
        assert allowed <= set(LAYERS), app
        assert app not in allowed


def test_every_import_follows_the_dependency_direction():
    wrong = []
    for app, allowed in LAYERS.items():
        for path in code_files(app):
            for module, _names in imports_of(path):
                top = module.split(".")[0]
                if top == "config":
                    if module != "config.celery" and not module.startswith("config.celery."):
                        wrong.append(f"{path.relative_to(ROOT)}: {module}")
                elif top in LAYERS and top != app and top not in allowed:
                    wrong.append(f"{path.relative_to(ROOT)}: {module}")
    assert wrong == []


#: The bulk open-data package publishes the API's own tables outside the API (CONTRIBUTING.md):
#: it may read the shapes and their CSV columns, nothing else of an ``api/`` package.
READS_API_SHAPES = {"opendata": {"core.api.shapes", "core.api.renderers"}}


def test_no_code_outside_an_api_package_imports_from_one():
    wrong = []
    for app in LAYERS:
        for path in code_files(app):
            if "api" in path.relative_to(ROOT).parts:
                continue
            for module, _names in imports_of(path):
                if module in READS_API_SHAPES.get(app, ()):
                    continue
                if ".api" in f".{module}" and module.split(".")[0] in LAYERS:
                    wrong.append(f"{path.relative_to(ROOT)}: {module}")
    assert wrong == []


def test_no_app_imports_another_apps_private_helpers():
    wrong = []
    for app in LAYERS:
        for path in code_files(app):
            for module, names in imports_of(path):
                top = module.split(".")[0]
                private = [n for n in names if n.startswith("_")]
                if top in LAYERS and top != app and private:
                    wrong.append(f"{path.relative_to(ROOT)}: {module} {private}")
    assert wrong == []
