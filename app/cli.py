"""Placeholder CLI so the package installs; filled in by the API work."""


def main() -> None:
    raise SystemExit("not yet")
