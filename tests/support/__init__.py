"""Test support shared by several features: the scripted OpenAI-compatible server and its fixtures."""
