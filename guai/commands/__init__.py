"""CLI command groups. Each module defines register(app) and is picked up by guai.cli."""
