"""Tests of the HTTP API (app/), over HTTP against the app."""
