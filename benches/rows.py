"""Machine-readable result rows shared by the benches/compare-* scripts.

Every compare script prints its own human-readable table as before and, in addition, one line per
measured row:  ROW<TAB>{json}  on stdout. `benches/compare` collects those lines and writes
BENCHMARKS.md. A row:

    {"id": "logs/10MB/rg",          stable key (the report's claimed figures are keyed by it)
     "table": "Log analysis",       section of BENCHMARKS.md
     "row": "10 MB, conclave logs vs rg -c ERROR",
     "unit": "s" | "MB/s" | "KB",   s and KB: lower is better; MB/s: higher is better
     "ours": {"median": m, "min": a, "max": b, "n": samples},
     "peer": "rg -c ERROR" | null,
     "theirs": {"median": ..., "min": ..., "max": ..., "n": ...} | null,
     "note": "..." | null}

Import from Python with `sys.path.insert(0, "benches")` (scripts run from the repository root),
or call `python3 benches/rows.py emit ...` from a shell script.

Peers are benchmark dependencies only. With NO_INSTALL=1 in the environment (`benches/compare
--no-install`, the test command's mode) a compare script installs nothing: a peer that is missing
gives its row with conclave's side measured, no peer time and the note of `not_installed(...)`.
"""

import json
import os
import statistics
import sys


def no_install():
    """True when the scripts must not install peers (NO_INSTALL=1, set by benches/compare --no-install)."""
    return os.environ.get("NO_INSTALL") == "1"


def not_installed(peer):
    """The note of a row whose peer is missing in a --no-install run."""
    return f"peer not installed ({peer}): --no-install run, conclave's side only"


def stats(samples):
    """{median, min, max, n} of a number or a list of numbers (None stays None)."""
    if samples is None:
        return None
    if isinstance(samples, dict):
        return samples
    if not isinstance(samples, (list, tuple)):
        samples = [samples]
    samples = [float(s) for s in samples]
    return {"median": statistics.median(samples), "min": min(samples), "max": max(samples),
            "n": len(samples)}


def emit(id, table, row, ours, peer=None, theirs=None, unit="s", note=None):
    """Print one ROW line. `ours`/`theirs`: a number, a list of samples, or a stats dict."""
    doc = {"id": id, "table": table, "row": row, "unit": unit, "ours": stats(ours),
           "peer": peer, "theirs": stats(theirs), "note": note}
    print("ROW\t" + json.dumps(doc), flush=True)


def criterion_ids(prefix, root="target/criterion"):
    """The full ids of the criterion benchmarks whose last run left results, starting with
    `prefix`, sorted."""
    ids = []
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) == "new" and "benchmark.json" in files:
            with open(os.path.join(dirpath, "benchmark.json")) as f:
                full_id = json.load(f).get("full_id", "")
            if full_id.startswith(prefix):
                ids.append(full_id)
    return sorted(ids)


def criterion(full_id, root="target/criterion"):
    """{median, min, max, n} seconds per iteration of a criterion benchmark by its full id
    ("group/function/parameter"), from the last run's files, or None when it has not run."""
    for dirpath, _dirs, files in os.walk(root):
        if os.path.basename(dirpath) != "new" or "benchmark.json" not in files:
            continue
        with open(os.path.join(dirpath, "benchmark.json")) as f:
            meta = json.load(f)
        if full_id not in (meta.get("full_id"), meta.get("directory_name")):
            continue
        with open(os.path.join(dirpath, "estimates.json")) as f:
            median = json.load(f)["median"]["point_estimate"] / 1e9
        with open(os.path.join(dirpath, "sample.json")) as f:
            sample = json.load(f)
        per = [t / n / 1e9 for t, n in zip(sample["times"], sample["iters"])]
        out = {"median": median, "min": min(per), "max": max(per), "n": len(per)}
        throughput = meta.get("throughput") or {}
        if "Bytes" in throughput:
            out["bytes"] = throughput["Bytes"]
        return out
    return None


if __name__ == "__main__":
    # python3 benches/rows.py emit ID TABLE ROW UNIT OURS [PEER THEIRS] [--note TEXT]
    # OURS/THEIRS: comma-separated samples, or `criterion:FULL_ID`; THEIRS empty: no peer time
    # (with --note, e.g. the peer is not installed).
    args = sys.argv[1:]
    note = None
    if "--note" in args:
        k = args.index("--note")
        note = args[k + 1]
        del args[k:k + 2]

    def value(s):
        if s.startswith("criterion:"):
            return criterion(s[len("criterion:"):])
        return [float(x) for x in s.split(",") if x]

    if len(args) not in (6, 8) or args[0] != "emit":
        sys.exit(__doc__)
    _, id, table, row, unit, ours, *rest = args
    peer, theirs = (rest[0], value(rest[1]) or None) if rest else (None, None)
    ours = value(ours)
    if ours is None:
        sys.exit(f"rows.py: no criterion results for {args[5]}")
    emit(id, table, row, ours, peer, theirs, unit, note)
