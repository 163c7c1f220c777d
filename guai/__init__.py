"""guai (구 AI): on-premises AI work platform for Korean district offices."""

__version__ = "0.1.0"
