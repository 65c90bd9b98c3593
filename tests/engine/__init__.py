"""Tests of engine/: values, not that something ran."""
