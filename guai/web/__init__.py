"""FastAPI web app: portal pages, admin pages, public citizen pages and JSON/OpenAI-compatible APIs."""
