"""Parts of `scripts/bench.py`: each module measures one thing and returns plain dicts for the results file."""
