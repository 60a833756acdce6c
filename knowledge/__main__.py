"""python -m knowledge check | units [--titles]"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from knowledge.loader import load
from knowledge.model import KnowledgeBase, KnowledgeError


def check(kb: KnowledgeBase, root: str | None) -> None:
    from knowledge.induction import INDUCTION_FILE, PACKAGE_ROOT, load_tour

    items = sum(len(checklist.items) for checklist in kb.checklists.values())
    print(f"knowledge OK: {len(kb.units)} units, {len(kb.checklists)} checklists, {items} items, "
          f"{len(kb.flags)} flag rules, {len(kb.glossary)} glossary terms, "
          f"{len(kb.timescales)} timescales")
    if ((Path(root) if root else PACKAGE_ROOT) / INDUCTION_FILE).exists():
        tour = load_tour(root)
        print(f"induction tour OK: {len(tour.stops)} stops, {len(tour.cautions)} cautions")
    if kb.meta.review_passed:
        print(f"note: the protocol's review date ({kb.meta.review_date}) has passed")


def units(kb: KnowledgeBase, titles: bool) -> None:
    for unit in kb.units.values():
        print(f"{unit.id}\t{unit.label}" if titles else unit.id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m knowledge")
    parser.add_argument("command", choices=["check", "units"])
    parser.add_argument("--root", help="knowledge directory (default: this package)")
    parser.add_argument("--titles", action="store_true", help="units: print labels too")
    args = parser.parse_args(argv)
    try:
        kb = load(args.root)
        if args.command == "check":
            check(kb, args.root)
        else:
            units(kb, args.titles)
    except KnowledgeError as error:
        print(f"knowledge error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
