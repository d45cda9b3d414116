"""How fast the prose audit reads contracts: :func:`clearpact.lint.prose.audit_text` over the
development contracts of ``tests/eval`` (``DEVELOPMENT`` in ``evaluate_audit.py``; the held-out
contracts are never read), in MB a second.

    .venv/bin/python benchmarks/audit_speed.py [--repeat R] [--json]

Each run audits the contracts one after another in a fresh (spawned) process, as
``clearpact audit`` would one file: the lexicon, the element catalogue and pysbd are loaded
before the clock starts. The fastest of R runs is kept. The audits (``audit_json``: findings, elements, requirements, terms) must be the same in every
run on the same code: exits 1 when they differ. Prints a table; with ``--json`` the last line
of stdout is one JSON object. Imports ``tests.eval.load`` for the contract bodies.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the root packages importable, and
    # measure this checkout's clearpact (its src) rather than whichever one is installed
    _ROOT = Path(__file__).resolve().parent.parent
    sys.path[:0] = [str(_ROOT / "src"), str(_ROOT)]

from benchmarks.evaluate_audit import DEVELOPMENT
from tests.eval.load import CONTRACTS, contract_body

WARM_UP = "1. SERVICES\nThe Provider shall respond promptly. The Customer pays within 30 days."


def development_contracts(count: int | None = None) -> dict[str, str]:
    """Slug → contract body (``contract_body``) of the first ``count`` development contracts
    in slug order (all when None). Reads those files only, never the held-out ones."""
    slugs = sorted(DEVELOPMENT)[:count]
    return {s: contract_body((CONTRACTS / f"{s}.txt").read_text(encoding="utf-8")) for s in slugs}


def megabytes(bodies: dict[str, str]) -> float:
    """The contracts' size in MB (10^6 bytes of UTF-8)."""
    return sum(len(body.encode("utf-8")) for body in bodies.values()) / 1e6


def source_digest() -> str:
    """A SHA-256 of clearpact's code and YAML as they are on disk: runs on different code
    (someone changed the checkout during the benchmark) are not compared."""
    import clearpact

    package = Path(clearpact.__file__).parent
    digest = hashlib.sha256()
    for path in sorted(p for p in package.rglob("*") if p.suffix in (".py", ".yaml")):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run(count: int | None) -> dict[str, Any]:
    """One timed pass of ``audit_text`` over the contracts; meant for a fresh process. ``digest`` is a SHA-256 of every audit's JSON, taken after the clock stops;
    ``source`` the code's (:func:`source_digest`), taken before."""
    from clearpact.lint.prose import audit_text
    from clearpact.lint.prose.export import audit_json

    source = source_digest()
    bodies = development_contracts(count)
    audit_text(WARM_UP)  # loads the lexicon, the catalogue and pysbd
    began = time.perf_counter()
    results = [audit_text(body, source=slug) for slug, body in bodies.items()]
    seconds = time.perf_counter() - began
    audits = [audit_json(result) for result in results]
    return {
        "seconds": seconds,
        "sentences": sum(len(r.sentences) for r in results),
        "findings": sum(len(r.findings) for r in results),
        "digest": hashlib.sha256(json.dumps(audits, sort_keys=True).encode()).hexdigest(),
        "source": source,
    }


def measure(repeat: int, count: int | None) -> dict[str, Any]:
    """``repeat`` runs, each in a fresh process: the figures."""
    size = megabytes(development_contracts(count))
    context = multiprocessing.get_context("spawn")
    runs: list[dict[str, Any]] = []
    for _ in range(repeat):
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            runs.append(pool.submit(run, count).result())
    best = min(r["seconds"] for r in runs)
    # the audits of every run on the same code must be the same
    audits: dict[str, set[str]] = {}
    for r in runs:
        audits.setdefault(r["source"], set()).add(r["digest"])
    return {
        "contracts": len(development_contracts(count)),
        "mb": round(size, 3),
        "sentences": runs[0]["sentences"],
        "findings": runs[0]["findings"],
        "repeat": repeat,
        "seconds": round(best, 2),
        "mb_per_s": round(size / best, 4),
        "runs_s": [round(r["seconds"], 2) for r in runs],
        "identical": all(len(digests) == 1 for digests in audits.values()),
        "source_changed": len(audits) > 1,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="runs; the fastest is kept")
    parser.add_argument(
        "--json", action="store_true", help="end stdout with one line of JSON with every figure"
    )
    parser.add_argument("--contracts", type=int, default=None, help=argparse.SUPPRESS)  # tests
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    import pysbd

    from benchmarks.clock import machine

    summary = measure(args.repeat, args.contracts)
    summary["machine"] = {**machine(), "pysbd": pysbd.__version__}
    print(
        f"audit_text on {summary['contracts']} development contracts "
        f"({summary['mb']:.2f} MB, {summary['sentences']:,} sentences), fastest of "
        f"{args.repeat} run{'s' if args.repeat > 1 else ''}, each in a fresh process:"
    )
    print(
        f"  {summary['seconds']:7.2f} s  {summary['mb_per_s']:.3f} MB/s  "
        f"({1 / summary['mb_per_s']:.1f} s/MB)"
    )
    same = "the same" if summary["identical"] else "NOT the same"
    print(f"audits ({summary['findings']:,} findings) {same} in every run on the same code")
    if summary["source_changed"]:
        print("the code changed during the benchmark: measure again on a checkout left alone")
    m = summary["machine"]
    print(f"{m['cpu']}, {m['cores']} cores, load {m['load_average_1m']}, pysbd {m['pysbd']}")
    if args.json:
        print(json.dumps(summary))
    return 0 if summary["identical"] else 1


if __name__ == "__main__":
    sys.exit(main())
