"""What `guai serve` sets up before uvicorn starts: logging config and Prometheus multiprocess mode."""

from __future__ import annotations

import os
import shutil
from typing import Any

from guai.config import Settings
from guai.ops.logging import configure_logging, logging_config


def prepare_serving(settings: Settings, *, workers: int, json_logs: bool) -> dict[str, Any]:
    """Return the uvicorn log config; with several workers, point prometheus_client at a shared directory."""
    if workers > 1 and not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        path = settings.home / "metrics"
        # Stale files from a previous run would add old counts to the new run's totals.
        shutil.rmtree(path, ignore_errors=True)
        path.mkdir(parents=True, exist_ok=True)
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(path.resolve())
    configure_logging(json_logs=json_logs)
    return logging_config(json_logs=json_logs)
