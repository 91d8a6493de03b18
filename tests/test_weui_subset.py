"""The WeUI subset the pages load is built from the classes the code uses now, and keeps WeUI's licence."""
import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _builder():
    """scripts/weui_subset.py as a module."""
    spec = importlib.util.spec_from_file_location("weui_subset", ROOT / "scripts" / "weui_subset.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_committed_subset_is_what_the_builder_makes_now():
    builder = _builder()
    assert builder.TARGET.read_text() == builder.build(), "run .venv/bin/python scripts/weui_subset.py and commit"


def test_every_weui_class_the_code_uses_has_its_rules_in_the_subset():
    builder = _builder()
    subset = builder.TARGET.read_text()
    full = builder.SOURCE.read_text()
    for name in builder.used_classes():
        if f".{name}" in full:
            assert f".{name}" in subset, name


def test_the_subset_carries_the_licence_and_drops_the_dark_theme():
    subset = (ROOT / "static/vendor/weui-2.6.26/weui.subset.css").read_text()
    assert subset.startswith("/*! WeUI v2.6.26") and "MIT" in subset
    assert (ROOT / "static/vendor/weui-2.6.26/LICENSE.txt").exists()
    assert 'data-weui-theme="dark"' not in subset and len(subset) < 40_000
