"""How `newsprism serve` tells each worker process which store to serve (uvicorn imports the app by name,
so the app factory reads these from the environment). Here, apart from the app, so the parent process
of `serve --workers N` sets them without importing FastAPI."""

from __future__ import annotations

DB_ENV = "NEWSPRISM_SERVE_DB"
TITLE_ENV = "NEWSPRISM_SERVE_TITLE"
