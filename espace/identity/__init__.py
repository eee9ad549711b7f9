"""People and their access: accounts, sign-in, passwords, second factor, sessions, step-up proofs,
profile, staff access and the trace of staff reads."""
