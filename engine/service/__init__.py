"""``alur serve``: the HTTP service (FastAPI on uvicorn) over the same engine the CLI drives.

Owns the wire: resources under ``/api/v1``, OpenAPI generated from the pydantic models, errors
as RFC 9457 problem details carrying the engine's rule codes and hints (``Accept-Language``
picks Indonesian or English), authentication with API tokens (hashed at rest), ``ETag`` /
``If-Match`` on cases and ``Idempotency-Key`` on commands. Every request calls the same
:class:`~engine.api.Engine` functions the CLI calls; what a user may do and see is decided by
the engine, with a roster built from the service's users.

Must not: decide anything the engine decides, or print.
"""

from engine.service.app import create_app

__all__ = ["create_app"]
