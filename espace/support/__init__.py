"""Talking to the insurer: secure message threads, the assistant, feedback on help articles."""
