"""How early and how often the health score flags the demo's planted churners, against a naive
baseline (attainment below target alone), over several seeds.

For each seed the demo is generated with ``churn=True`` (one customer's service degrades and its
ratings sour for 4–6 months before it gives notice on ``churned_on``; another customer has one
bad month; August is slow for everyone), imported through the real profiles, and measured once
with ``signals_from_store``. Health is then computed as of the first day of every month from the
fourth on: each month's signals use only clocks that stopped (or breached) and answers given in
that month, so no as-of date sees later data.

- health flags a customer when its band is ``at_risk``;
- the baseline flags it when any ticket SLA missed its attainment target in the month that just
  ended (the agreement's minimum ticket count respected).

A churner is caught when flagged on a date in its decline window (after the decline's first day,
so that the month just measured saw some of it, and before ``churned_on``); the lead is the time from the first such flag to ``churned_on``. Every other
flag (non-churners all year, a churner before its decline) is a false alarm. This is synthetic
data whose churn the generator planted: it shows the score reacts to the signals it was built
on, nothing about real customers. Real-world accuracy is unproven.

    python -m benchmarks.evaluate_health [--seeds 1-9] [--scale 0.5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from clearpact.agreement.loader import load
from clearpact.demo import generate_demo
from clearpact.durations import add_months
from clearpact.governance.health import CustomerSignals, health
from clearpact.ingest.importer import import_export
from clearpact.ingest.store import write_store
from clearpact.report.data import signals_from_store


@dataclass
class Tally:
    """Counts of one method over every seed."""

    caught: int = 0
    churners: int = 0
    leads_days: list[int] | None = None
    false_alarms: int = 0
    quiet_dates: int = 0  # dates on which no churn was developing
    customers_alarmed: int = 0
    non_churners: int = 0

    def __post_init__(self) -> None:
        self.leads_days = []


def baseline_flag(signals: CustomerSignals, as_of: dt.date) -> bool:
    """Any ticket SLA below its attainment target in the month that ended by ``as_of``."""
    done = [m for m in signals.months if add_months(m.month, 1) <= as_of]
    return bool(done and done[-1].slas_missed)


def health_flag(signals: CustomerSignals, as_of: dt.date) -> bool:
    return health(signals, as_of=as_of).band == "at_risk"


METHODS = {"health (band at_risk)": health_flag, "baseline (attainment < target)": baseline_flag}


def measure_seed(
    seed: int, scale: float, folder: Path
) -> list[tuple[str, CustomerSignals, str | None, str | None]]:
    """(slug, signals, churned_on, decline begins) of every customer of one seed's demo."""
    manifest = generate_demo(folder / "data", seed=seed, scale=scale, churn=True)
    for tool in ("connectwise", "zendesk"):
        store = folder / "store" / tool
        result = import_export(
            folder / "data" / tool, folder / "data" / "profiles" / f"{tool}.yaml"
        )
        write_store(result, store, source=tool)
        surveys = import_export(
            folder / "data" / "surveys", folder / "data" / "profiles" / "csat.yaml"
        )
        write_store(surveys, store, source="surveys")
    end = dt.date.fromisoformat(manifest.end)
    out = []
    for truth in manifest.customers:
        agreement = load(folder / "data" / truth.agreement)
        signals = signals_from_store(
            agreement, folder / "store" / truth.tool, truth.customer_id, end
        )
        begins = next(
            (s.begins for s in manifest.stories if s.customer == truth.slug and s.kind == "churn"),
            None,
        )
        out.append((truth.slug, signals, truth.churned_on, begins))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="1-9", help="a range (1-9) or a list (1,4,7)")
    parser.add_argument("--scale", type=float, default=0.5)
    parser.add_argument("--first-month", type=int, default=4, help="first as-of month index")
    args = parser.parse_args()
    if "-" in args.seeds:
        low, high = (int(x) for x in args.seeds.split("-"))
        seeds = list(range(low, high + 1))
    else:
        seeds = [int(x) for x in args.seeds.split(",")]
    tallies = {name: Tally() for name in METHODS}
    rows: list[str] = []
    began = time.perf_counter()
    for seed in seeds:
        with tempfile.TemporaryDirectory(prefix="clearpact-health-") as tmp:
            measured = measure_seed(seed, args.scale, Path(tmp))
        for slug, signals, churned_on, begins in measured:
            first = signals.months[0].month
            dates = [add_months(first, i) for i in range(args.first_month, len(signals.months) + 1)]
            churned = dt.date.fromisoformat(churned_on) if churned_on else None
            decline = dt.date.fromisoformat(begins) if begins else None
            cells = []
            for name, flag in METHODS.items():
                tally = tallies[name]
                flagged = [d for d in dates if flag(signals, d)]
                if churned is not None and decline is not None:
                    tally.churners += 1
                    window = [d for d in flagged if decline < d < churned]
                    early = [d for d in flagged if d <= decline]
                    tally.false_alarms += len(early)
                    tally.quiet_dates += sum(d <= decline for d in dates)
                    if window:
                        tally.caught += 1
                        assert tally.leads_days is not None
                        tally.leads_days.append((churned - window[0]).days)
                        cells.append(f"{window[0]:%Y-%m} ({(churned - window[0]).days} d)")
                    else:
                        cells.append("missed")
                    if early:
                        cells[-1] += f", {len(early)} early"
                else:
                    tally.non_churners += 1
                    tally.false_alarms += len(flagged)
                    tally.quiet_dates += len(dates)
                    tally.customers_alarmed += bool(flagged)
                    cells.append(f"{len(flagged)}/{len(dates)} flagged")
            role = f"churns {churned_on} (decline from {begins})" if churned_on else "stays"
            rows.append(f"| {seed} | {slug} | {role} | " + " | ".join(cells) + " |")
    print(
        f"Seeds {seeds[0]}–{seeds[-1]} at scale {args.scale}, as-of dates from month "
        f"{args.first_month}; {time.perf_counter() - began:.0f} s.\n"
    )
    print("| seed | customer | planted | " + " | ".join(METHODS) + " |")
    print("|---|---|---|" + "---|" * len(METHODS))
    print("\n".join(rows))
    print(
        "\n| method | churners caught in their decline | median lead | false alarms (flagged quiet dates) | non-churners ever flagged |"
    )
    print("|---|---|---|---|---|")
    for name, t in tallies.items():
        leads = sorted(t.leads_days or [])
        median = f"{leads[len(leads) // 2] / 30.44:.1f} months" if leads else "–"
        print(
            f"| {name} | {t.caught}/{t.churners} | {median} | "
            f"{t.false_alarms}/{t.quiet_dates} ({100 * t.false_alarms / max(t.quiet_dates, 1):.0f}%) | "
            f"{t.customers_alarmed}/{t.non_churners} |"
        )
    print("\nSynthetic data with planted churn: real-world accuracy is unproven.")


if __name__ == "__main__":
    main()
