"""The window's look: design tokens, the palette and style sheet built from them, and icons
recoloured with the theme. ``apply_theme`` switches everything at once."""

from ui.theme.apply import apply_theme, colours, font_of

__all__ = ["apply_theme", "colours", "font_of"]
