"""Operations: backup/restore, retention and purge, Prometheus metrics, structured logs, run-time settings."""
