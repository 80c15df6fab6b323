"""Style sheets shared by several places, made from the theme's colours."""

from __future__ import annotations

from ui.theme.apply import style_sheet
from ui.theme.tokens import COVER_RADIUS, SPACE, Colours


def side_pane_sheet(c: Colours) -> str:
    """Tabs as words with the chosen one underlined in the accent; lists without frames."""
    return (f"QTabWidget::pane {{ border: none; }}"
            f"QTabBar::tab {{ background: transparent; color: {c.muted};"
            f" padding: {SPACE}px {SPACE * 3 // 2}px; border: none; border-bottom: 2px solid transparent; }}"
            f"QTabBar::tab:selected {{ color: {c.text}; border-bottom: 2px solid {c.accent}; }}"
            f"QTabBar::tab:hover {{ color: {c.text}; }}"
            f"QListView {{ border: none; background: {c.window}; }}"
            f"QTextBrowser {{ border: none; background: {c.window}; }}")


def search_box_sheet(c: Colours) -> str:
    return (f"QLineEdit {{ background: {c.surface}; border: 1px solid {c.border};"
            f" border-radius: {COVER_RADIUS * 3}px; padding: 6px {SPACE * 3 // 2}px; color: {c.text}; }}"
            f"QLineEdit:focus {{ border: 1px solid {c.accent}; }}")


def scrollbar_sheet(c: Colours) -> str:
    """A thin rounded handle on no track, no arrows (set on the scrollbars themselves, so the
    view they scroll keeps painting without the style-sheet style)."""
    return (f"QScrollBar {{ background: transparent; border: none; margin: 0; }}"
            f"QScrollBar:vertical {{ width: 10px; }} QScrollBar:horizontal {{ height: 10px; }}"
            f"QScrollBar::handle {{ background: {c.border}; border-radius: 4px; margin: 2px; }}"
            f"QScrollBar::handle:hover {{ background: {c.muted}; }}"
            f"QScrollBar::handle:vertical {{ min-height: 32px; }}"
            f"QScrollBar::handle:horizontal {{ min-width: 32px; }}"
            f"QScrollBar::add-line, QScrollBar::sub-line {{ width: 0; height: 0; border: none; }}"
            f"QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}")


def thin_scrollbars(view) -> None:
    """Both of a scrolling view's bars drawn thin, in the theme."""
    for bar in (view.verticalScrollBar(), view.horizontalScrollBar()):
        style_sheet(bar, scrollbar_sheet)


def dialog_sheet(c: Colours) -> str:
    """The dialogs in the window's language: pill buttons (the dialog's answer in the accent),
    rounded text fields and lists, group titles as small headings."""
    return (f"QDialog {{ background: {c.window}; }}"
            f"QPushButton {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.border};"
            f" border-radius: 14px; padding: 6px 16px; min-height: 16px; }}"
            f"QPushButton:hover {{ background: {c.raised}; }}"
            # the dialog's own answer (Save, OK), not whichever button has the focus
            f"QDialogButtonBox QPushButton:default, QPushButton#answer {{ background: {c.accent};"
            f" color: {c.on_accent}; border: 1px solid {c.accent}; font-weight: bold; }}"
            f"QPushButton:disabled {{ color: {c.muted}; }}"
            # combo and spin boxes keep Fusion's drawing (a sheet loses their arrows)
            f"QLineEdit {{ background: {c.surface}; color: {c.text}; border: 1px solid {c.border};"
            f" border-radius: {COVER_RADIUS}px; padding: 4px {SPACE}px; }}"
            f"QLineEdit:focus {{ border: 1px solid {c.accent}; }}"
            f"QListWidget, QTableWidget, QTextBrowser {{ background: {c.surface};"
            f" border: 1px solid {c.border}; border-radius: {COVER_RADIUS}px; }}"
            f"QGroupBox {{ border: none; margin-top: {SPACE * 3}px; font-weight: bold; }}"
            f"QGroupBox::title {{ subcontrol-origin: margin; left: 0; padding: 0; color: {c.text}; }}")


def designed_dialog(dialog) -> None:
    """Give a dialog the shared look (and keep it when the theme changes)."""
    style_sheet(dialog, dialog_sheet)
