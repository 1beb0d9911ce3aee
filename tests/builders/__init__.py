"""Builders for what tests need: people, rounds, bundles, a meeting, a scored and decided
demo round, worlds with every kind of person in them. They go through the real services
(so everything they make is on the audit trail) and they commit. A builder used by more
than one test file lives here, never in a test module."""
