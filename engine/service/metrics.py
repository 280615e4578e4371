"""Prometheus metrics of one worker process (``/metrics``): requests and their latency, commands
and refusals by rule, breaches the sweep recorded. Labels carry routes, rule codes and command
kinds, never a case id, user or value."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

__all__ = ["Metrics"]


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("alur_http_requests", "HTTP requests by route and status",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("alur_http_request_seconds", "HTTP request latency by route",
                                 ["method", "route"], registry=self.registry)
        self.commands = Counter("alur_commands", "Commands run, by kind and result",
                                ["command", "result"], registry=self.registry)
        self.refusals = Counter("alur_refusals", "Commands refused, by rule", ["rule"],
                                registry=self.registry)
        self.breaches = Counter("alur_breach_sweeps", "Cases on which the sweep recorded a "
                                "breach", registry=self.registry)
