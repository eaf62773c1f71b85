"""``energysim profiles build|plot``: the default hourly profiles."""

from __future__ import annotations

import argparse
from pathlib import Path

from energysim.cli.common import EXIT_OK, lang_option


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Register ``profiles build`` and ``profiles plot``."""
    prof = sub.add_parser("profiles", help="rebuild the default hourly profiles, or draw them")
    prof.set_defaults(handler=_profiles)
    prof_sub = prof.add_subparsers(dest="action", required=True)
    build = prof_sub.add_parser("build", help="rewrite data/profiles/ (seeded, byte-identical)")
    build.add_argument("--out", type=Path, default=Path("data/profiles"))
    plot = prof_sub.add_parser("plot", help="draw a year's profiles: two weeks, Spring Festival, duration curve")
    plot.add_argument("year", type=int, choices=(2024, 2025))
    plot.add_argument("-o", "--output", type=Path, help="PNG file (default profiles-<year>.png)")
    plot.add_argument("--data", type=Path, default=Path("data/profiles"))
    lang_option(plot, "labels")


def _profiles(args: argparse.Namespace) -> int:
    import pandas as pd

    from energysim.profiles import build_profiles

    if args.action == "build":
        for path in build_profiles(args.out):
            print(path)
        return EXIT_OK
    from energysim.report.profile_plots import plot_profiles

    table = pd.read_csv(args.data / f"jiaxing-{args.year}.csv.gz")
    print(plot_profiles(table, args.year, args.output or Path(f"profiles-{args.year}.png"), lang=args.lang))
    return EXIT_OK
