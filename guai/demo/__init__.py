"""Demo district seeding for `make run`: each module in guai.demo.steps adds one kind of sample data."""

from guai.demo.runner import EXAMPLES_DIR, run_seed

__all__ = ["EXAMPLES_DIR", "run_seed"]
