"""``/users`` and ``/tokens``: user administration over HTTP, what ``alur user add / list /
disable / enable / roles / passwd / token / revoke`` do, on the same
:class:`~engine.store.accounts.Accounts` calls. Only an administrator may: a user holding the
``admin`` role, with a token of the ``admin`` scope; and only over the users of their own
agency (a user of another agency is "not found"). Every change is recorded in the audit log
(``user:<what>``), never with a password or token."""

from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as FastPath
from pydantic import BaseModel, ConfigDict, Field

from engine.api import Engine
from engine.cases.events import AuditRecord
from engine.service.auth import Caller, hash_password
from engine.service.deps import API, Admin, Lang, service_of
from engine.service.problems import Problem
from engine.store.accounts import Accounts, Token, User

__all__ = ["ADMIN_ROLE", "router"]

ADMIN_ROLE = "admin"

router = APIRouter(prefix=API, tags=["users"])

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$"
Name = Annotated[str, FastPath(pattern=_ID)]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class UserIn(_In):
    name: str = Field(pattern=_ID)
    roles: list[Annotated[str, Field(pattern=_ID)]] = Field(min_length=1, max_length=50)
    password: str = Field(min_length=8, max_length=1024)


class RolesIn(_In):
    roles: list[Annotated[str, Field(pattern=_ID)]] = Field(min_length=1, max_length=50)


class PasswordIn(_In):
    password: str = Field(min_length=8, max_length=1024)


class TokenIn(_In):
    scopes: list[Annotated[str, Field(pattern=r"^(read|write|admin)$")]] = Field(
        default_factory=lambda: ["read", "write"], min_length=1, max_length=3)
    label: str = Field(default="api", max_length=100)


class UserOut(BaseModel):
    name: str
    roles: list[str]
    agency: str
    disabled: bool
    created_at: str


class TokenInfo(BaseModel):
    id: str
    user: str
    label: str
    scopes: list[str]
    created_at: str
    revoked_at: str | None


class NewToken(TokenInfo):
    token: str = Field(description="Send as 'Authorization: Bearer <token>'. Shown once.")


def _out(user: User) -> UserOut:
    return UserOut(name=user.name, roles=sorted(user.roles), agency=user.agency,
                   disabled=user.disabled, created_at=user.created_at)


def _info(token: Token) -> dict[str, Any]:
    return {"id": token.id, "user": token.user, "label": token.label,
            "scopes": sorted(token.scopes), "created_at": token.created_at,
            "revoked_at": token.revoked_at}


def _administrator(who: Caller) -> None:
    if ADMIN_ROLE not in who.roles:
        raise Problem(403, "svc.not_administrator", user=who.user, role=ADMIN_ROLE)


def _accounts(request: Request, who: Caller) -> Accounts:
    _administrator(who)
    return service_of(request).accounts


def _member(accounts: Accounts, who: Caller, name: str) -> User:
    """A user of the administrator's agency (another agency's users are not theirs to see)."""
    found = accounts.user(name)
    if found is None or found.agency != who.agency:
        raise Problem(404, "svc.no_user", user=name)
    return found


def _record(engine: Engine, who: Caller, action: str, **detail: Any) -> None:
    engine.store.record_audit(AuditRecord(at=engine.clock().isoformat(), user=who.user,
                                          role=ADMIN_ROLE, action=f"user:{action}",
                                          case_id=None, rule=None, detail=detail))


@router.get("/users")
def list_users(request: Request, who: Admin) -> list[UserOut]:
    """The users of the administrator's agency, their roles and whether they are disabled."""
    accounts = _accounts(request, who)
    return [_out(u) for u in accounts.users() if u.agency == who.agency]


@router.post("/users", status_code=201)
def add_user(body: UserIn, request: Request, response: Response, who: Admin,
             engine: Lang) -> UserOut:
    """Add a user of the administrator's agency; the password is hashed with argon2."""
    accounts = _accounts(request, who)
    if accounts.user(body.name) is not None:  # a name is taken once, whatever the agency
        raise Problem(409, "acct.user_exists", user=body.name)
    made = accounts.add_user(body.name, hash_password(body.password), frozenset(body.roles),
                             who.agency)
    _record(engine, who, "add", name=made.name, roles=sorted(made.roles))
    response.headers["Location"] = f"/api/v1/users/{made.name}"
    return _out(made)


@router.post("/users/{name}/disable")
def disable_user(name: Name, request: Request, who: Admin, engine: Lang) -> UserOut:
    """Disable a user: their tokens stop working at once."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    accounts.set_disabled(name, True)
    _record(engine, who, "disable", name=name)
    return _out(_member(accounts, who, name))


@router.post("/users/{name}/enable")
def enable_user(name: Name, request: Request, who: Admin, engine: Lang) -> UserOut:
    """Enable a disabled user again."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    accounts.set_disabled(name, False)
    _record(engine, who, "enable", name=name)
    return _out(_member(accounts, who, name))


@router.put("/users/{name}/roles")
def set_roles(name: Name, body: RolesIn, request: Request, who: Admin,
              engine: Lang) -> UserOut:
    """Replace a user's roles (the engine's roster sees it within seconds)."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    accounts.set_roles(name, frozenset(body.roles))
    _record(engine, who, "roles", name=name, roles=sorted(body.roles))
    return _out(_member(accounts, who, name))


@router.put("/users/{name}/password", status_code=204)
def set_password(name: Name, body: PasswordIn, request: Request, who: Admin,
                 engine: Lang) -> Response:
    """Set a user's password."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    accounts.set_password(name, hash_password(body.password))
    _record(engine, who, "password", name=name)
    return Response(status_code=204)


@router.get("/users/{name}/tokens")
def list_tokens(name: Name, request: Request, who: Admin) -> list[TokenInfo]:
    """A user's tokens (never their secrets)."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    return [TokenInfo(**_info(t)) for t in accounts.tokens(name)]


@router.post("/users/{name}/tokens", status_code=201)
def add_token(name: Name, body: TokenIn, request: Request, who: Admin,
              engine: Lang) -> NewToken:
    """Make an API token for a user; the secret is in this answer only."""
    accounts = _accounts(request, who)
    _member(accounts, who, name)
    token, secret = accounts.add_token(name, body.label, frozenset(body.scopes))
    _record(engine, who, "token", name=name, token=token.id, scopes=sorted(token.scopes))
    return NewToken(token=secret, **_info(token))


@router.delete("/tokens/{token_id}", status_code=204)
def revoke_token(token_id: Annotated[str, FastPath(pattern=r"^[0-9a-f]{1,64}$")],
                 request: Request, who: Admin, engine: Lang) -> Response:
    """Revoke a token of a user of the administrator's agency: it stops working at once."""
    accounts = _accounts(request, who)
    staff = {u.name for u in accounts.users() if u.agency == who.agency}
    if not any(t.id == token_id and t.user in staff and not t.revoked_at
               for t in accounts.tokens()) or not accounts.revoke(token_id):
        raise Problem(404, "svc.no_token", token=token_id)
    _record(engine, who, "revoke", token=token_id)
    return Response(status_code=204)
