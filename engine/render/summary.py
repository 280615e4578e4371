"""What ``alur show`` says about a procedure, as data: the CLI prints it, the workspace's
procedure page shows it.

Must not: read files or stores.
"""

from __future__ import annotations

from typing import Any

from engine.procedure.model import Procedure

__all__ = ["summary"]


def summary(proc: Procedure) -> dict[str, Any]:
    """What ``alur show`` prints, as data."""
    roles = {r.id: r.title for r in proc.roles}
    return {
        "id": proc.id, "title": proc.title, "version": proc.version,
        "agency": f"{proc.agency.name} ({proc.agency.region})",
        "decree": proc.decree.number if proc.decree.known else None,
        "time_limit": {"amount": proc.time_limit.amount, "unit": proc.time_limit.unit.value,
                       "starts": proc.time_limit.starts.value,
                       "situational": proc.time_limit.situational,
                       "source_text": proc.time_limit.source_text},
        "cost": proc.cost.text,
        "steps": [{"id": s.id, "number": s.number, "title": s.title,
                   "actor": roles.get(s.actor, s.actor), "actor_inferred": s.actor_inferred,
                   "requires": list(s.requires), "produces": list(s.produces),
                   "deadline": f"{s.deadline.amount} {s.deadline.unit.value}" if s.deadline
                   else None,
                   "next": s.next or (f"end: {s.end.value}" if s.end else None),
                   "outcomes": [{"id": o.id, "label": o.label,
                                 "to": o.next or f"end: {o.end.value if o.end else '?'}"}
                                for o in (s.decision.outcomes if s.decision else ())]}
                  for s in proc.steps],
        "roles": [{"id": r.id, "title": r.title, "kind": r.kind.value,
                   "members": list(r.members)} for r in proc.roles],
        "documents": [{"id": d.id, "title": d.title, "kind": d.kind.value,
                       "presence": d.presence.value, "sensitive": d.sensitive}
                      for d in proc.documents],
        "missing_components": proc.missing_components(),
        "flags": [{"id": f.id, "kind": f.kind, "about": f.about, "note": f.note}
                  for f in proc.flags],
    }
