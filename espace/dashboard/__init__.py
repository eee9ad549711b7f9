"""The holder's dashboard: widget catalogue, each holder's layout, the data each widget shows."""
