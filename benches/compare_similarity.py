"""Alternating timings of conclave (target/release/timeit) and its peers on the same input files.
A peer that is not installed (benches/compare --no-install) leaves its rows with conclave's side only."""
import importlib.util, json, os, statistics, subprocess, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rows import emit, not_installed  # noqa: E402

out, rounds = sys.argv[1], int(sys.argv[2])

def conclave(kind, path, threads=None):
    env = dict(os.environ)
    if threads:
        env["RAYON_NUM_THREADS"] = str(threads)
    r = subprocess.run(["target/release/timeit", kind, path, "1"], capture_output=True, text=True, env=env, check=True)
    return json.loads(r.stdout)["times"][0]

def rapidfuzz_pairs(pairs):
    from rapidfuzz.distance import Levenshtein
    f = Levenshtein.normalized_similarity
    t = time.perf_counter()
    s = 0.0
    for a, b in pairs:
        s += f(a, b)
    return time.perf_counter() - t

def rapidfuzz_cdist(pairs):
    # One call for all pairs: no per-call Python overhead (rapidfuzz's fastest form).
    import numpy as np
    from rapidfuzz.process import cpdist
    from rapidfuzz.distance import Levenshtein
    a = [p[0] for p in pairs]; b = [p[1] for p in pairs]
    t = time.perf_counter()
    cpdist(a, b, scorer=Levenshtein.normalized_similarity, workers=1)
    return time.perf_counter() - t

def rapidfuzz_cpdist_metric(pairs, scorer):
    from rapidfuzz.process import cpdist
    a = [p[0] for p in pairs]; b = [p[1] for p in pairs]
    t = time.perf_counter()
    cpdist(a, b, scorer=scorer, workers=1)
    return time.perf_counter() - t

def rapidfuzz_scorer(metric):
    from rapidfuzz import fuzz
    from rapidfuzz.distance import OSA, DamerauLevenshtein, Indel, Jaro, JaroWinkler
    return {"osa": OSA.normalized_similarity, "damerau-levenshtein": DamerauLevenshtein.normalized_similarity,
            "indel": Indel.normalized_similarity, "jaro": Jaro.similarity, "jaro-winkler": JaroWinkler.similarity,
            "partial": fuzz.partial_ratio}[metric]

def sklearn_cosine(texts):
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.metrics.pairwise import cosine_similarity
    t = time.perf_counter()
    x = CountVectorizer().fit_transform(texts)
    cosine_similarity(x)
    return time.perf_counter() - t

pairs = json.load(open(f"{out}/pairs700.json"))
texts = json.load(open(f"{out}/texts1000.json"))
def have(module):
    return importlib.util.find_spec(module) is not None

rows = [
    ("levenshtein-700/rapidfuzz", "normalized levenshtein, 1000 pairs of ~700 chars (per pair)", len(pairs),
     lambda: conclave("pairs-levenshtein", f"{out}/pairs700.json"), "rapidfuzz Levenshtein.normalized_similarity",
     "rapidfuzz", lambda: rapidfuzz_pairs(pairs)),
    ("levenshtein-700/rapidfuzz-cpdist", "normalized levenshtein, 1000 pairs of ~700 chars (per pair)", len(pairs),
     lambda: conclave("pairs-levenshtein", f"{out}/pairs700.json"), "rapidfuzz cpdist workers=1",
     "rapidfuzz", lambda: rapidfuzz_cdist(pairs)),
    ("cosine-1000x100/threads2", "all-pairs cosine, 1000 texts x 100 words, 2 threads", 1,
     lambda: conclave("matrix-cosine", f"{out}/texts1000.json"), "sklearn CountVectorizer+cosine_similarity",
     "sklearn", lambda: sklearn_cosine(texts)),
    ("cosine-1000x100/threads1", "all-pairs cosine, 1000 texts x 100 words, 1 thread", 1,
     lambda: conclave("matrix-cosine", f"{out}/texts1000.json", threads=1), "sklearn CountVectorizer+cosine_similarity",
     "sklearn", lambda: sklearn_cosine(texts)),
]
# The other edit metrics, each against rapidfuzz's scorer for the same definition, one cpdist call
# (workers=1) for all pairs. The O(n*m) ones (Damerau, partial) run on the first 100 pairs.
with open(f"{out}/pairs700-100.json", "w") as f:
    json.dump(pairs[:100], f)
for metric in ("osa", "indel", "jaro", "jaro-winkler", "damerau-levenshtein", "partial"):
    subset = metric in ("damerau-levenshtein", "partial")
    path = f"{out}/pairs700-100.json" if subset else f"{out}/pairs700.json"
    chosen = pairs[:100] if subset else pairs
    rows.append((f"{metric}-700/rapidfuzz-cpdist", f"{metric}, {len(chosen)} pairs of ~700 chars (per pair)", len(chosen),
                 lambda path=path, metric=metric: conclave(f"pairs-{metric}", path),
                 f"rapidfuzz cpdist workers=1 ({metric})", "rapidfuzz",
                 lambda chosen=chosen, metric=metric: rapidfuzz_cpdist_metric(chosen, rapidfuzz_scorer(metric))))
print(f"machine: {os.cpu_count()} cores; {rounds} alternating rounds; medians (min-max)")
print("| row | conclave | peer | peer time | ratio (peer/conclave) |")
print("|---|---|---|---|---|")
fmt = lambda v: f"{v*1e6:.1f} us" if v < 1e-3 else f"{v*1e3:.1f} ms"
for key, name, per, ours, peer_name, module, peer in rows:
    present = have(module)
    a, b = [], []
    for _ in range(rounds):
        a.append(ours() / per)
        if present:
            b.append(peer() / per)
    ma = statistics.median(a)
    emit(f"similarity/{key}", "Similarity (peers)", name, a, peer_name, b or None,
         note=None if present else not_installed(module))
    if not present:
        print(f"| {name} | {fmt(ma)} ({fmt(min(a))}-{fmt(max(a))}) | {peer_name} | not installed | - |")
        continue
    mb = statistics.median(b)
    print(f"| {name} | {fmt(ma)} ({fmt(min(a))}-{fmt(max(a))}) | {peer_name} | {fmt(mb)} ({fmt(min(b))}-{fmt(max(b))}) | {mb/ma:.2f}x |")
