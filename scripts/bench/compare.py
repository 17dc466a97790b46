#!/usr/bin/env python3
"""Joins benchmark JSON lines into one table with ratios.

Usage: compare.py FILE.jsonl FILE.jsonl [...] [--md OUT.md]

Each line is one measurement,
  {"impl":"java"|"python"|"java-forward","arch":..,"phase":"train"|"score","batch":..,"threads":..,"windows_per_s":..}
or a peak-memory line {"impl":..,"phase":"rss","peak_rss_mb":..}, as written by `tsad bench` (impl java and
java-forward, the bare forward pass) and scripts/bench/bench_torch.py (impl python). Rows are matched on
(arch, phase, batch, threads); a measurement missing on one side shows as "-". Prints the table, then the
peak RSS of each impl; with --md also writes the same as Markdown. Needs only the standard library.
"""
import argparse
import json
import sys

ARCH_ORDER = {"dense": 0, "cnn": 1, "lstm": 2}
PHASE_ORDER = {"train": 0, "score": 1}
KNOWN_IMPLS = ["java", "python", "java-forward"]


def load(paths):
    """Returns ({(arch, phase, batch, threads): {impl: windows_per_s}}, {impl: peak_rss_mb}, {impl: torch})."""
    rows, rss, versions = {}, {}, {}
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    r = json.loads(line)
                    impl = r["impl"]
                    if r.get("phase") == "rss":
                        rss[impl] = float(r["peak_rss_mb"])
                        continue
                    key = (r["arch"], r["phase"], int(r["batch"]), int(r["threads"]))
                    value = float(r["windows_per_s"])
                except (ValueError, KeyError, TypeError) as e:
                    print(f"compare: {path}:{n}: skipped ({type(e).__name__}: {e})", file=sys.stderr)
                    continue
                if impl in rows.get(key, {}):
                    print(f"compare: {path}:{n}: second {impl} row for {key}; the last one counts", file=sys.stderr)
                rows.setdefault(key, {})[impl] = value
                if "torch" in r:
                    versions[impl] = r["torch"]
    return rows, rss, versions


def fmt_rate(v):
    if v is None:
        return "-"
    return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"


def fmt_ratio(a, b):
    return "-" if a is None or not b else f"{a / b:.2f}"


def build(rows):
    impls = {i for v in rows.values() for i in v}
    extra = sorted(impls - set(KNOWN_IMPLS))
    with_forward = "java-forward" in impls
    header = ["arch", "phase", "batch", "threads", "java win/s", "python win/s", "java/python"]
    if with_forward:
        header += ["java-forward win/s", "java/java-forward"]
    header += [f"{i} win/s" for i in extra]
    table = []
    key_order = sorted(rows, key=lambda k: (ARCH_ORDER.get(k[0], 99), k[0], PHASE_ORDER.get(k[1], 99), k[1], k[2], k[3]))
    for key in key_order:
        v = rows[key]
        j, p = v.get("java"), v.get("python")
        line = [key[0], key[1], str(key[2]), str(key[3]), fmt_rate(j), fmt_rate(p), fmt_ratio(j, p)]
        if with_forward:
            fw = v.get("java-forward")
            line += [fmt_rate(fw), fmt_ratio(j, fw) if key[1] == "score" else "-"]
        line += [fmt_rate(v.get(i)) for i in extra]
        table.append(line)
    return header, table


def footer(rss, versions):
    impls = sorted(set(rss) | {"java", "python"}, key=lambda i: (KNOWN_IMPLS + [i]).index(i))
    lines = ["peak RSS: " + ", ".join(f"{i} {rss[i]:,.0f} MB" if i in rss else f"{i} -" for i in impls)]
    lines += [f"{i}: torch {v}" for i, v in sorted(versions.items())]
    return lines


def text_table(header, table):
    widths = [max([len(h)] + [len(r[c]) for r in table]) for c, h in enumerate(header)]
    left = 2  # arch and phase are left-aligned, numbers right-aligned

    def row(cells):
        return "  ".join(c.ljust(w) if i < left else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths)))

    return [row(header), "  ".join("-" * w for w in widths)] + [row(r) for r in table]


def markdown_table(header, table):
    align = ["---" if i < 2 else "---:" for i in range(len(header))]
    return ["| " + " | ".join(r) + " |" for r in [header, align] + table]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="+", help="JSON-lines files (java, python, ...)")
    ap.add_argument("--md", metavar="OUT.md", help="also write the table as Markdown")
    a = ap.parse_args(argv)
    rows, rss, versions = load(a.files)
    if not rows:
        print("compare: no measurements found", file=sys.stderr)
        return 1
    header, table = build(rows)
    print("\n".join(text_table(header, table)))
    print()
    print("\n".join(footer(rss, versions)))
    if a.md:
        with open(a.md, "w", encoding="utf-8") as fh:
            fh.write("\n".join(markdown_table(header, table)) + "\n\n")
            fh.write("".join(line + "  \n" for line in footer(rss, versions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
