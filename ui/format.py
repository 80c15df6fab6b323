"""Small text formatting shared by widgets."""


def duration_text(ms: int | None) -> str:
    if ms is None or ms < 0:
        return "–:––"
    seconds = int(round(ms / 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
