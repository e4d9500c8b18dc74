#!/usr/bin/env python3
"""Structure checks of the layers (run by .ci/run; exits 1 on a violation).

1. src/core imports none of egui, eframe, rfd, nor crate::app, crate::ui,
   crate::cli (the core builds and tests without a window).
2. src/app never imports crate::cli (paths and open options live in
   src/paths.rs).
3. src/ui imports from app only through app::model.
4. src/app imports from ui only its entry points: ui::window (the frame)
   and ui::fonts (installed once at start-up).
5. No function in src/app or src/ui is longer than 100 lines (tests
   aside): a function is counted from its `fn` line to its closing brace.
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
MAX_LINES = 100
errors = []


def rust_files(folder):
    return sorted((ROOT / folder).rglob("*.rs"))


def code_lines(path):
    """The file's lines with comments blanked, up to its test module."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#[cfg(test)]"):
            break
        out.append(re.sub(r"//.*", "", line))
    return out


def check_imports(folder, pattern, why):
    rx = re.compile(pattern)
    for f in rust_files(folder):
        for n, line in enumerate(code_lines(f), 1):
            if rx.search(line):
                errors.append(f"{f.relative_to(ROOT)}:{n}: {why}: {line.strip()}")


check_imports(
    "src/core",
    r"\b(egui|eframe|rfd)::|use (egui|eframe|rfd)\b|crate::(app|ui|cli)\b",
    "the core must not use egui/eframe/rfd or app/ui/cli",
)
check_imports("src/app", r"crate::cli\b", "app must not import cli")
check_imports(
    "src/ui",
    r"crate::app::(?!model\b)",
    "ui imports from app only through app::model",
)
check_imports(
    "src/app",
    r"crate::ui::(?!(window|fonts)\b)",
    "app reaches ui only through ui::window and ui::fonts",
)

FN = re.compile(r"^(\s*)(pub(\([^)]*\))?\s+)?(const\s+)?(async\s+)?fn\s+(\w+)")
for folder in ("src/app", "src/ui"):
    for f in rust_files(folder):
        lines = code_lines(f)
        i = 0
        while i < len(lines):
            m = FN.match(lines[i])
            if not m:
                i += 1
                continue
            indent = m.group(1)
            # A declaration without a body (a trait's) ends with `;`
            # before any `{`.
            head = i
            while head < len(lines) and "{" not in lines[head] and not lines[head].rstrip().endswith(";"):
                head += 1
            if head < len(lines) and "{" not in lines[head]:
                i = head + 1
                continue
            # The body ends at the first line that is the closing brace at
            # the function's own indentation (rustfmt layout).
            end = i
            while end < len(lines) and not (
                lines[end].startswith(indent + "}") and lines[end].strip() == "}"
            ):
                end += 1
            length = end - i + 1
            if length > MAX_LINES:
                errors.append(
                    f"{f.relative_to(ROOT)}:{i + 1}: fn {m.group(6)} has {length} lines (max {MAX_LINES})"
                )
            i += 1

if errors:
    print("\n".join(errors), file=sys.stderr)
    sys.exit(1)
print("structure checks passed")
