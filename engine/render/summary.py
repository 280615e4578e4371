"""What ``alur show`` says about a procedure, as data: the CLI prints it, the workspace's
procedure page shows it. Everything the file says, in the file's order.

Must not: read files or stores.
"""

from __future__ import annotations

from typing import Any

from engine.procedure.model import (
    ComplaintChannel,
    Duration,
    Procedure,
    Product,
    Refer,
    Requirement,
    referrals,
)

__all__ = ["summary"]


def summary(proc: Procedure) -> dict[str, Any]:
    """What ``alur show`` prints, as data: everything the file says, in the file's order."""
    roles = {r.id: r.title for r in proc.roles}
    limit = proc.time_limit
    return {
        "id": proc.id, "title": proc.title, "version": proc.version,
        "agency": f"{proc.agency.name} ({proc.agency.region})",
        "decree": proc.decree.number if proc.decree.known else None,
        "time_limit": {"amount": limit.amount, "unit": limit.unit.value if limit.unit else None,
                       "event": limit.event, "bound": limit.bound,
                       "starts": limit.starts.value, "starts_after_step": limit.starts_after_step,
                       "situational": limit.situational, "extendable": limit.extendable,
                       "extension_rule": limit.extension_rule,
                       "max_extension": _duration(limit.max_extension),
                       "escalate_to": limit.escalate_to, "until_step": limit.until_step,
                       "source_text": limit.source_text},
        "phase_limits": [{"id": p.id, "amount": p.amount, "unit": p.unit.value,
                          "starts": p.starts.value, "starts_after_step": p.starts_after_step,
                          "until_step": p.until_step, "escalate_to": p.escalate_to,
                          "source_text": p.source_text} for p in proc.phase_limits],
        "cost": proc.cost.text,
        "requirements": [_requirement(r) for r in proc.requirements],
        "steps": [{"id": s.id, "number": s.number, "title": s.title,
                   "actor": roles.get(s.actor, s.actor), "actor_inferred": s.actor_inferred,
                   "repeat": None if s.repeat is None else {
                       "every": _duration(s.repeat.every),
                       "amount": s.repeat.every.amount if s.repeat.every else None,
                       "unit": s.repeat.every.unit.value if s.repeat.every else None,
                       "until_step": s.repeat.until_step,
                       "lasts": _duration(s.repeat.lasts)},
                   "joint": None if s.joint is None else {
                       "roles": [roles.get(r, r) for r in s.joint.roles],
                       "sign_off": s.joint.sign_off},
                   "requires": list(s.requires), "produces": list(s.produces),
                   "participants": [p.role + (f" [{p.when}]" if p.when else "")
                                    for p in s.participants],
                   "when": s.when,
                   "deadline": _duration(s.deadline),
                   "estimate": _duration(s.estimate),
                   "escalate_to": s.escalate_to,
                   "refer": _refer(s.refer),
                   "plan": None if s.plan is None else {
                       "join": s.plan.join, "text": s.plan.text,
                       "services": [{"id": v.id, "label": v.label, "when": v.when,
                                     "actor": v.actor,
                                     "refer": _refer(v.refer)} for v in s.plan.services]},
                   "next": s.next or (f"end: {s.end.value}" if s.end else None),
                   "question": s.decision.question if s.decision else None,
                   "outcomes": [{"id": o.id, "label": o.label,
                                 "when": "otherwise" if o.otherwise else o.when,
                                 "refer": _refer(o.refer),
                                 "to": o.next or f"end: {o.end.value if o.end else '?'}"}
                                for o in (s.decision.outcomes if s.decision else ())]}
                  for s in proc.steps],
        "roles": [{"id": r.id, "title": r.title, "kind": r.kind.value,
                   "members": list(r.members), "aliases": list(r.aliases)} for r in proc.roles],
        "documents": [{"id": d.id, "title": d.title, "kind": d.kind.value,
                       "presence": d.presence.value, "condition": d.condition,
                       "sensitive": d.sensitive, "form": d.form.value if d.form else None,
                       "copies": d.copies, "sheets": d.sheets}
                      for d in proc.documents],
        "facts": [{"id": f.id, "title": f.title, "type": f.type.value,
                   "values": list(f.values), "required": f.required,
                   "sensitive": f.sensitive} for f in proc.facts],
        "products": [p.text + (f" ({', '.join(_product_documents(p))})"
                               if _product_documents(p) else "")
                     for p in proc.products],
        "product_items": [{"text": p.text, "documents": _product_documents(p),
                           "issued_outside": p.issued_outside} for p in proc.products],
        "complaints": [_channel(c) for c in proc.complaints],
        "missing_components": proc.missing_components(),
        "flags": [{"id": f.id, "kind": f.kind, "about": f.about, "quote": f.quote,
                   "note": f.note} for f in proc.flags],
    }


def _product_documents(product: Product) -> list[str]:
    """The documents a product names: its ``document`` and its ``documents``."""
    return ([product.document] if product.document else []) + list(product.documents)


def _duration(duration: Duration | None) -> str | None:
    return f"{duration.amount} {duration.unit.value}" if duration else None


def _requirement(req: Requirement) -> dict[str, Any]:
    return {"number": None if req.number is None else str(req.number), "text": req.text,
            "documents": ([req.document] if req.document else []) + list(req.documents),
            "fact": req.fact, "presence": req.presence.value, "condition": req.condition,
            "gates": None if req.gates is None else list(req.gates),
            "any_of": [_requirement(r) for r in req.any_of],
            "all_of": [_requirement(r) for r in req.all_of]}


def _channel(channel: ComplaintChannel) -> dict[str, Any]:
    return {"channel": channel.channel, "platform": channel.platform, "value": channel.value,
            "text": channel.text, "channels": [_channel(c) for c in channel.channels]}


def _refer(refer: Refer | None) -> str | None:
    """The procedures a ``refer`` names (one, or a list), each with its condition and fact
    mapping ("mediasi [butuh_mediasi] {victim_is_child ← korban_anak}"); None for none."""
    return ", ".join(
        r.procedure + (f" [{r.when}]" if r.when else "")
        + (" {" + ", ".join(f"{k} ← {v}" for k, v in r.facts.items()) + "}" if r.facts else "")
        for r in referrals(refer)) or None
