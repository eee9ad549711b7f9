"""A contract's life after subscription: renewal at each anniversary and cancellation."""
