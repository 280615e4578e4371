"""Browser sessions of the workspace pages: a cookie holding a random secret, and CSRF tokens
derived from it.

The cookie (``alur_session``) is ``Secure``, ``HttpOnly`` and ``SameSite=Lax``; the store keeps
only the SHA-256 of its secret (``alur_sessions``), with an expiry, so a copy of the database
lets nobody act as a user. A session ends on logout, when the user's password is changed and when
the user is disabled (:mod:`engine.store.accounts` deletes the rows).

CSRF: every form the pages send carries a token that is the HMAC-SHA256 of the cookie's secret
(keyed by that secret, so nothing else has to be shared between worker processes); a POST is
taken only when the token it carries matches its cookie. A page of another site can make the
browser send the cookie but cannot read it, so it cannot compute the token. The login form,
before any session exists, uses the same scheme on a short-lived pre-login cookie
(``alur_login``), so a login cannot be forced either. ``SameSite=Lax`` is a second fence.

The API under ``/api/v1`` never reads these cookies (it takes bearer tokens only), so it needs
no CSRF token.

Must not: decide what a user may do (the engine does, with the roster of the accounts) or check
passwords (:func:`engine.service.auth.check_login`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass

from starlette.requests import Request
from starlette.responses import Response

from engine.store.accounts import Accounts, User

__all__ = ["LOGIN_COOKIE", "SESSION_COOKIE", "Sessions", "WebUser", "csrf_token"]

SESSION_COOKIE = "alur_session"
LOGIN_COOKIE = "alur_login"
LIFETIME = 8 * 3600.0  # one working day: a forgotten browser does not stay signed in
LOGIN_LIFETIME = 1800


def csrf_token(secret: str, purpose: str = "form") -> str:
    """The token forms carry for the cookie whose secret is ``secret``."""
    return hmac.new(secret.encode("utf-8"), f"alur-csrf:{purpose}".encode(),
                    hashlib.sha256).hexdigest()


def _matches(secret: str | None, given: str | None, purpose: str) -> bool:
    if not secret or not given:
        return False
    return hmac.compare_digest(csrf_token(secret, purpose), given)


@dataclass(frozen=True, slots=True)
class WebUser:
    """The user of a page request and the CSRF token their forms carry."""

    user: User
    csrf: str

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def roles(self) -> frozenset[str]:
        return self.user.roles


class Sessions:
    """Starts, reads and ends sessions on the service's accounts. ``now`` is the clock (epoch
    seconds) the expiry is judged on."""

    def __init__(self, accounts: Accounts, *, lifetime: float = LIFETIME,
                 now: Callable[[], float] = time.time) -> None:
        self.accounts = accounts
        self.lifetime = lifetime
        self.now = now

    def start(self, response: Response, user: User) -> str:
        """A new session for ``user``, its cookie set on ``response``; the secret."""
        secret = self.accounts.add_session(user.name, self.now() + self.lifetime)
        response.set_cookie(SESSION_COOKIE, secret, max_age=int(self.lifetime), path="/",
                            secure=True, httponly=True, samesite="lax")
        response.delete_cookie(LOGIN_COOKIE, path="/", secure=True, httponly=True,
                               samesite="lax")
        return secret

    def current(self, request: Request) -> WebUser | None:
        """The request's signed-in user (None: no cookie, or the session expired, ended or
        belongs to a disabled user)."""
        secret = request.cookies.get(SESSION_COOKIE)
        if not secret:
            return None
        found = self.accounts.session(secret, self.now())
        if found is None or found[1].disabled:
            return None
        return WebUser(found[1], csrf_token(secret))

    def valid_form(self, request: Request, given: str | None) -> bool:
        """Whether a POST's ``csrf`` field belongs to its session cookie."""
        return _matches(request.cookies.get(SESSION_COOKIE), given, "form")

    def end(self, request: Request, response: Response) -> None:
        """Log out: the session's row deleted and its cookie cleared."""
        secret = request.cookies.get(SESSION_COOKIE)
        if secret:
            self.accounts.end_session(secret)
        response.delete_cookie(SESSION_COOKIE, path="/", secure=True, httponly=True,
                               samesite="lax")

    # --- the login form, before a session exists -------------------------------------------

    @staticmethod
    def login_secret(request: Request) -> str:
        """The pre-login cookie's secret, or a new one (set it with :meth:`keep_login`)."""
        return request.cookies.get(LOGIN_COOKIE) or secrets.token_urlsafe(32)

    @staticmethod
    def keep_login(response: Response, secret: str) -> None:
        response.set_cookie(LOGIN_COOKIE, secret, max_age=LOGIN_LIFETIME, path="/",
                            secure=True, httponly=True, samesite="lax")

    @staticmethod
    def valid_login(request: Request, given: str | None) -> bool:
        return _matches(request.cookies.get(LOGIN_COOKIE), given, "login")
