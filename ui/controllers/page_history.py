"""Back and Forward between the window's pages, as a browser keeps them: a visit forgets what
was ahead; Back and Forward move along without recording a visit."""

from __future__ import annotations

LIMIT = 50  # pages remembered each way


class PageHistory:
    def __init__(self, first: int):
        self.current = first
        self._back: list[int] = []
        self._forward: list[int] = []
        self._moving = False  # a Back or Forward is under way: its page is not a new visit

    def visit(self, page: int) -> None:
        if page == self.current or page < 0:
            return
        if not self._moving:
            self._back = (self._back + [self.current])[-LIMIT:]
            self._forward.clear()
        self.current = page

    def step(self, show, back: bool) -> bool:
        """Show (through `show(page)`) the page before, or after; False when there is none."""
        source, target = (self._back, self._forward) if back else (self._forward, self._back)
        if not source:
            return False
        page = source.pop()
        target.append(self.current)
        self._moving = True
        try:
            show(page)
        finally:
            self._moving = False
        return True

    def can_go(self, back: bool) -> bool:
        return bool(self._back if back else self._forward)
