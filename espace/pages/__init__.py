"""One module per page or page family; components only, no business rules."""
