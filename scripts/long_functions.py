#!/usr/bin/env python3
"""Lists Rust functions longer than a limit (default 80 lines), outside tests.

    scripts/long_functions.py [--limit N] [--handlers N] [paths...]

A function is counted from its `fn` line to its closing brace. Test files (tests/, benches/)
and `#[cfg(test)]` modules are skipped. With --handlers, page handlers (public async fns in
crates/server/src/pages) longer than N lines are listed too.
"""
import argparse
import pathlib
import re
import sys

FN = re.compile(r"^\s*(pub(\([a-z]+\))?\s+)?(async\s+)?fn\s+([a-z_0-9]+)")


def functions(path):
    lines = path.read_text().splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if re.match(r"^\s*#\[cfg\(test\)\]", line):
            # skip the test module: to the end of its braces
            j, depth, seen = i + 1, 0, False
            while j < len(lines):
                depth += lines[j].count("{") - lines[j].count("}")
                seen = seen or "{" in lines[j]
                if seen and depth <= 0:
                    break
                j += 1
            i = j + 1
            continue
        m = FN.match(line)
        if m:
            depth, seen, j = 0, False, i
            while j < len(lines):
                text = re.sub(r'"([^"\\]|\\.)*"', '""', lines[j])
                if not seen and ";" in text and "{" not in text:
                    break  # a declaration without a body
                depth += text.count("{") - text.count("}")
                seen = seen or "{" in text
                if seen and depth <= 0:
                    yield m.group(4), i + 1, j - i + 1, bool(m.group(1) and m.group(3))
                    break
                j += 1
        i += 1


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=80)
    parser.add_argument("--handlers", type=int, default=None)
    parser.add_argument("--skip", action="append", default=["crates/cli/src/demo.rs"])
    parser.add_argument("paths", nargs="*", default=["crates"])
    args = parser.parse_args()
    found = 0
    for root in args.paths:
        for path in sorted(pathlib.Path(root).rglob("*.rs")):
            parts = path.parts
            if "tests" in parts or "benches" in parts or "target" in parts:
                continue
            if any(str(path).endswith(s) for s in args.skip):
                continue
            is_page = "pages" in parts and "server" in parts
            for name, line, length, public_async in functions(path):
                if length > args.limit:
                    print(f"{length:4} {path}:{line} {name}")
                    found += 1
                elif args.handlers and is_page and public_async and length > args.handlers:
                    print(f"{length:4} {path}:{line} {name} (handler)")
                    found += 1
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
