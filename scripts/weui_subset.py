"""Build static/vendor/weui-2.6.26/weui.subset.css: only the WeUI rules and variables the site uses.

Run at development time after a template starts using another weui- class; the output is committed
(tests/test_weui_subset.py fails while it is out of date):
    .venv/bin/python scripts/weui_subset.py
A rule is kept when every weui- class in its selector appears somewhere in templates/, static/js/ or
the Python code; rules only for the dark theme go (every page sets data-weui-theme="light"), and so
do custom properties (--weui-…) that no kept rule reads, directly or through another property.
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "static/vendor/weui-2.6.26/weui.min.css"
TARGET = ROOT / "static/vendor/weui-2.6.26/weui.subset.css"
CODE = ["templates/**/*.html", "static/js/*.js", "*.py", "*/*.py", "*/*/*.py"]
CLASS = re.compile(r"weui-[A-Za-z0-9_-]+")
DARK = ('data-weui-theme="dark"', ':not([data-weui-theme="light"])')
HEADER = ("/*! WeUI v2.6.26 (https://github.com/weui/weui) | Copyright 2026 Tencent, Inc. | MIT licence, see "
          "LICENSE.txt beside this file.\n * The rules this site uses, cut from weui.min.css by scripts/weui_subset.py. */\n")


def used_classes() -> set[str]:
    """Every weui- class name written anywhere in the code (dynamic suffixes are written out whole there)."""
    found: set[str] = set()
    for pattern in CODE:
        for path in ROOT.glob(pattern):
            if "tests" in path.parts or ".venv" in path.parts or path.name == "weui_subset.py":
                continue
            found |= set(CLASS.findall(path.read_text(errors="replace")))
    return found


def blocks(css: str) -> list[tuple[str, str]]:
    """Top-level (prelude, body) pairs of a stylesheet, comments dropped."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out, i = [], 0
    while i < len(css):
        start = css.find("{", i)
        if start < 0:
            break
        depth, j = 1, start + 1
        while depth:
            depth += {"{": 1, "}": -1}.get(css[j], 0)
            j += 1
        out.append((css[i:start].strip(), css[start + 1:j - 1]))
        i = j
    return out


def split_top(text: str, sep: str) -> list[str]:
    """Split on `sep` outside parentheses and quotes."""
    parts, depth, quote, current = [], 0, None, []
    for char in text:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == sep and depth == 0:
            parts.append("".join(current))
            current = []
            continue
        current.append(char)
    parts.append("".join(current))
    return [p for p in (p.strip() for p in parts) if p]


def keep_selector(selector: str, used: set[str]) -> bool:
    """A selector all of whose weui- classes are used, and that is not for the dark theme."""
    if any(mark in selector for mark in DARK):
        return False
    positive = re.sub(r":not\([^)]*\)", "", selector)  # `:not(.unused)` matches, so it does not count
    return set(CLASS.findall(positive.replace("[data-weui-", "["))) <= used


def filter_rules(css_blocks, used: set[str]) -> list[tuple[str, object]]:
    """Kept (prelude, declarations or nested list) pairs."""
    kept = []
    for prelude, body in css_blocks:
        if prelude.startswith(("@media", "@supports")):
            if "prefers-color-scheme:dark" in prelude.replace(" ", ""):
                continue
            inner = filter_rules(blocks(body), used)
            if inner:
                kept.append((prelude, inner))
        elif prelude.startswith(("@keyframes", "@-webkit-keyframes", "@font-face")):
            kept.append((prelude, body))
        else:
            selectors = [s for s in split_top(prelude, ",") if keep_selector(s, used)]
            if selectors:
                kept.append((",".join(selectors), split_top(body, ";")))
    return kept


def prune_variables(rules) -> None:
    """Drop --weui-… declarations that nothing kept reads (repeat until none goes)."""
    def walk(items):
        for prelude, body in items:
            if isinstance(body, list) and body and isinstance(body[0], tuple):
                yield from walk(body)
            elif isinstance(body, list):
                yield prelude, body

    while True:
        declared = [(body, d) for _, body in walk(rules) for d in body if d.startswith("--")]
        text = " ".join(d for _, body in walk(rules) for d in body)
        read = set(re.findall(r"var\((--[A-Za-z0-9_-]+)", text))
        unused = [(body, d) for body, d in declared if d.split(":", 1)[0] not in read]
        if not unused:
            return
        for body, d in unused:
            body.remove(d)


def keyframes_used(rules, text: str) -> list:
    """Drop @keyframes that no kept animation names."""
    out = []
    for prelude, body in rules:
        if "keyframes" in prelude and prelude.split()[-1] not in text:
            continue
        out.append((prelude, body))
    return out


def render(rules) -> str:
    """Minified CSS text of kept rules, empty ones left out."""
    out = []
    for prelude, body in rules:
        if isinstance(body, str):
            out.append(f"{prelude}{{{body}}}")
        elif body and isinstance(body[0], tuple):
            inner = render(body)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        elif body:
            out.append(f"{prelude}{{{';'.join(body)}}}")
    return "".join(out)


def build() -> str:
    """The subset's full text."""
    rules = filter_rules(blocks(SOURCE.read_text()), used_classes())
    prune_variables(rules)
    text = render(rules)
    return HEADER + render(keyframes_used(rules, text)) + "\n"


if __name__ == "__main__":
    css = build()
    if "--check" in sys.argv:
        sys.exit(0 if TARGET.exists() and TARGET.read_text() == css else 1)
    TARGET.write_text(css)
    print(f"{TARGET.relative_to(ROOT)}: {len(css):,} bytes (from {SOURCE.stat().st_size:,})")
