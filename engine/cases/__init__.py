"""Cases: commands, typed events and their hash chain, the fold, the machine, the rules, the
runtime.

Owns what happens to one case: a command is decided against the procedure and the case's state
into sealed events. Pure: no store, no clock read, no printing. Imports only
:mod:`engine.procedure` and the shared vocabulary (errors, diagnostics, messages).
"""
