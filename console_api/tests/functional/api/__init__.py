"""Functional tests of the API through the real paste pipeline."""
