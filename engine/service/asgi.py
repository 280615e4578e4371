"""The ASGI entry ``uvicorn`` imports in each worker process (``alur serve``): the store comes
from ``$ALUR_DB``, as for the CLI."""

from engine.service.app import create_app

app = create_app()
