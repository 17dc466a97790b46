#!/usr/bin/env python3
"""Joins benchmark JSON lines (impl java, java-forward, python) into one table with ratios.
Usage: compare.py java.jsonl python.jsonl [--md OUT.md]"""
import argparse
import json


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+")
    ap.add_argument("--md")
    a = ap.parse_args()
    rows, rss = {}, {}
    for f in a.files:
        for line in open(f):
            line = line.strip()
            if not line.startswith("{"):
                continue
            r = json.loads(line)
            if r.get("phase") == "rss":
                rss[r["impl"]] = r["peak_rss_mb"]
                continue
            key = (r["arch"], r["phase"], r["batch"], r["threads"])
            rows.setdefault(key, {})[r["impl"]] = r["windows_per_s"]

    def fmt(v):
        return "-" if v is None else f"{v:,.0f}"

    def ratio(a_, b_):
        return "-" if a_ is None or b_ in (None, 0) else f"{a_ / b_:.2f}"

    header = ["arch", "phase", "batch", "threads", "java win/s", "python win/s", "java/python",
              "java bare forward win/s", "java/forward"]
    lines = []
    for key in sorted(rows, key=lambda k: (k[0], k[1] != "train", k[2], k[3])):
        v = rows[key]
        j, p, fw = v.get("java"), v.get("python"), v.get("java-forward")
        lines.append([key[0], key[1], str(key[2]), str(key[3]), fmt(j), fmt(p), ratio(j, p), fmt(fw), ratio(j, fw)])
    widths = [max(len(h), *(len(l[i]) for l in lines)) if lines else len(h) for i, h in enumerate(header)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths)))
    for l in lines:
        print("  ".join(c.ljust(w) for c, w in zip(l, widths)))
    for impl, mb in sorted(rss.items()):
        print(f"peak RSS {impl}: {mb:,.0f} MB")
    if a.md:
        with open(a.md, "w") as md:
            md.write("| " + " | ".join(header) + " |\n|" + "---|" * len(header) + "\n")
            for l in lines:
                md.write("| " + " | ".join(l) + " |\n")
            md.write("\n" + "\n".join(f"Peak RSS {impl}: {mb:,.0f} MB  " for impl, mb in sorted(rss.items())) + "\n")


if __name__ == "__main__":
    main()
