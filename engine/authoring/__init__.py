"""Authoring aids for policy staff: drafting from a published SP text, skeletons, version diffs.

Reads procedures and (for diffs) the events of running cases; never writes a store.
"""
