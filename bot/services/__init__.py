"""Use cases: one function per thing a person (or the system) does; each owns its transaction."""
