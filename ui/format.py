"""Small text formatting shared by widgets."""


def sentence(text) -> str:
    """A message as a sentence: its first letter capital, a full stop at its end."""
    text = str(text)
    return text[:1].upper() + text[1:] + "."


def duration_text(ms: int | None) -> str:
    if ms is None or ms < 0:
        return "–:––"
    seconds = int(round(ms / 1000))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


def count_text(count: int, noun: str) -> str:
    """'1 song', '2 songs', '12,000 songs'."""
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def length_text(ms: int) -> str:
    """A total length as a person says it: '24 s', '7 min', '1 h 5 min'."""
    seconds = round(max(0, ms) / 1000)
    if seconds < 60:
        return f"{seconds} s"
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
