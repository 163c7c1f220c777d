"""All ORM models. Every module in this package is imported so Base.metadata knows every table.

Each feature keeps its tables in its own module here (auth.py, audit.py, complaints.py, ...).
"""

import importlib
import pkgutil

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_mod}")
