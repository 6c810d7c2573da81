"""The apps import one way only (docs/architecture.md, "Which way imports go").

The layers are stated once, in pyproject.toml's import-linter contract (`lint-imports` checks the same
in `make lint`); here grimp, the graph import-linter is built on, walks every import of every module,
those inside functions and under TYPE_CHECKING included, so an import cycle between apps fails the suite."""

import re
import sys
import textwrap
import tomllib
from pathlib import Path

import grimp
from django.template.backends.django import get_installed_libraries

ROOT = Path(__file__).resolve().parent.parent


def declared_layers() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = [c for c in config["contracts"] if c["type"] == "layers"]
    return contract["layers"]


def upward_imports(layers: list[str]) -> list[str]:
    """Every import chain from a layer up to one above it, as 'importer -> ... -> imported' lines."""
    graph = grimp.build_graph(*layers, cache_dir=None)
    found = []
    for dependency in graph.find_illegal_dependencies_for_layers(layers=layers):
        for route in dependency.routes:
            for head in sorted(route.heads):
                for tail in sorted(route.tails):
                    found.append(" -> ".join([head, *route.middle, tail]))
    return sorted(found)


def test_the_apps_import_only_downwards():
    layers = declared_layers()

    assert set(layers) == {"config", "compliance", "imagerights", "articles"}
    assert upward_imports(layers) == [], f"imports against {' -> '.join(layers)}"


def test_articles_templates_load_no_other_apps_tags():
    """A template of articles' pages loads only its own and Django's tag libraries; another app's
    figure comes in through a template named in settings (ARTICLES_ASSET_TEMPLATE)."""
    libraries = get_installed_libraries()  # name -> tag module
    apps_above = tuple(f"{layer}." for layer in declared_layers() if layer != "articles")
    loaded = {}
    pages = [*(ROOT / "templates" / "articles").rglob("*.html"), *(ROOT / "templates" / "admin" / "articles").rglob("*.html")]
    for template in pages:
        for names in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text()):
            for name in names.split():
                loaded[f"{template.relative_to(ROOT)}: {name}"] = libraries[name]

    assert loaded, "no template loads a tag library: the check reads nothing"
    assert {where: module for where, module in loaded.items() if module.startswith(apps_above)} == {}


def test_an_import_up_a_layer_is_caught_even_inside_a_function(tmp_path, monkeypatch):
    for package, module, source in [
        ("layer_high", "service", "from layer_low.model import Thing\n"),
        ("layer_low", "model", "class Thing:\n    pass\n"),
        ("layer_low", "command", "def handle():\n    from layer_high.service import Thing\n    return Thing\n"),
    ]:
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").touch()
        (tmp_path / package / f"{module}.py").write_text(textwrap.dedent(source))
    monkeypatch.syspath_prepend(str(tmp_path))

    try:
        assert upward_imports(["layer_high", "layer_low"]) == ["layer_low.command -> layer_high.service"]
    finally:
        for name in [name for name in sys.modules if name.startswith(("layer_high", "layer_low"))]:
            del sys.modules[name]
