"""One page, one state, one handler: what Reflex itself costs per event and per open tab."""

import reflex as rx


class BareState(rx.State):
    count: int = 0
    items: list[str] = [f"ligne {n}" for n in range(6)]

    @rx.event
    def load(self):
        self.count = 0

    @rx.event
    def click(self, step: int = 1):
        self.count += int(step)


def index() -> rx.Component:
    return rx.el.div(
        rx.el.button("+1", on_click=BareState.click(1)),
        rx.el.p(BareState.count),
        rx.foreach(BareState.items, rx.el.p),
    )


app = rx.App()
app.add_page(index, route="/", on_load=BareState.load)
