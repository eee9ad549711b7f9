"""The header's search box (suggestions as you type) and its keyboard shortcut."""

from __future__ import annotations

import reflex as rx

from espace.state.search import SearchBoxState

B = SearchBoxState


def search_box() -> rx.Component:
    return rx.el.form(
        rx.el.label("Rechercher dans mon espace", html_for="site-search", class_name="sr-only"),
        rx.icon("search", size=18, aria_hidden="true", class_name="search-icon"),
        rx.el.input(
            id="site-search",
            name="q",
            type="search",
            placeholder="Rechercher",
            auto_complete="off",
            max_length=200,
            class_name="search-input",
            on_change=B.suggest.debounce(200),
            aria_controls="search-suggestions",
            aria_expanded=rx.cond(B.suggestions.length() > 0, "true", "false"),
            aria_autocomplete="list",
            role="combobox",
        ),
        # The "/" shortcut is a keyboard's: shown on wide screens only, never on a phone.
        rx.el.kbd(
            "/", class_name="search-shortcut", title="Raccourci : touche /", aria_hidden="true"
        ),
        rx.cond(
            B.suggestions.length() > 0,
            rx.el.ul(
                rx.foreach(
                    B.suggestions,
                    lambda s: rx.el.li(
                        rx.cond(
                            s.is_file,
                            rx.el.a(
                                s.title,
                                rx.el.span(s.kind, class_name="field-hint"),
                                href=s.url,
                                target="_blank",
                                custom_attrs={"reloadDocument": True},
                                on_click=B.close,
                            ),
                            rx.el.a(
                                s.title,
                                rx.el.span(s.kind, class_name="field-hint"),
                                href=s.url,
                                on_click=B.close,
                            ),
                        ),
                        role="option",
                    ),
                ),
                id="search-suggestions",
                role="listbox",
                class_name="suggestions",
            ),
        ),
        on_submit=B.submit,
        reset_on_submit=False,
        no_validate=True,
        role="search",
        class_name="site-search",
    )


# "/" focuses the search field, as on many sites (not while typing in another field).
SHORTCUT_SCRIPT = (
    "document.addEventListener('keydown',function(e){"
    "if(e.key!=='/'||e.ctrlKey||e.metaKey||e.altKey)return;"
    "var t=e.target;"
    "if(t&&(t.isContentEditable||/^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))return;"
    "var f=document.getElementById('site-search');if(f){e.preventDefault();f.focus();}});"
)
