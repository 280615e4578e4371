"""The parts of the :class:`~engine.api.Engine` façade, each a concept of its own.

``Engine`` coordinates a command's one pass (load → verify → decide → append); what each step
needs from the store lives here, one module per concept:

* :mod:`~engine.casework.procedures` — procedure versions by content hash and their decision
  contexts (the registry a worker keeps);
* :mod:`~engine.casework.verification` — a stored case's chain and snapshot checked before
  anything is decided on it, and the whole store's check (``alur audit verify``);
* :mod:`~engine.casework.warm` — the bounded set of cases a worker verified, with their heads;
* :mod:`~engine.casework.referrals` — referrals opening their target case, and cases that wait
  for a linked case to close;
* :mod:`~engine.casework.reading` — who may read a case, who a case waits for, the audit
  record of a refused command;
* :mod:`~engine.casework.deadlines` — the due dates of open cases and the deadline sweep;
* :mod:`~engine.casework.documents` — files read to attach as documents, and their contents
  stored before the append that names them.

Must not: print, exit, or hold a rule of the procedure (that is :mod:`engine.cases.rules`).
"""
