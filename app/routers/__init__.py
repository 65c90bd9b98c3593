"""One router per resource; none imports another (shared pieces live in app.http)."""
