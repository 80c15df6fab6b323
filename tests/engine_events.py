"""An engine's events as they arrive, waited on with a timeout (never slept for)."""

from __future__ import annotations

import threading

from tests.conftest import WAIT_S


class EngineEvents:
    def __init__(self, engine):
        self.engine = engine
        self.events = []
        self.cond = threading.Condition()
        engine.set_listener(self._add)

    def _add(self, event):
        with self.cond:
            self.events.append(event)
            self.cond.notify_all()

    def wait_for(self, check):
        """Wait for any event, of any load, that passes check."""
        with self.cond:
            assert self.cond.wait_for(lambda: any(check(e) for e in self.events), WAIT_S), \
                self.events

    def wait(self, kind, value=None):
        """Wait for an event of the engine's current load."""
        self.wait_for(lambda e: e.kind == kind and e.generation == self.engine.generation
                      and (value is None or e.value == value))

    def of(self, kind):
        with self.cond:
            return [e for e in self.events
                    if e.kind == kind and e.generation == self.engine.generation]
