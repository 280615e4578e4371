"""The ASGI entry ``uvicorn`` imports in each worker process (``alur serve``): the store comes
from ``$ALUR_DB`` as for the CLI, the sweep interval from ``$ALUR_SWEEP_INTERVAL`` (seconds; 0
turns the scheduler off), the webhook delivery interval from ``$ALUR_WEBHOOK_INTERVAL``
(seconds a worker waits when no row is due; 0 turns delivery off), and how long a worker's
claim on webhook rows holds from ``$ALUR_WEBHOOK_LEASE`` (empty: the deliverer's default)."""

import os

from engine.service.app import create_app

app = create_app(sweep_interval=float(os.environ.get("ALUR_SWEEP_INTERVAL") or 60),
                 webhook_interval=float(os.environ.get("ALUR_WEBHOOK_INTERVAL") or 1),
                 webhook_lease=float(os.environ.get("ALUR_WEBHOOK_LEASE") or 0) or None)
