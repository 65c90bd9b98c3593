"""Test suite, mirroring the packages (engine, app, e2e)."""
