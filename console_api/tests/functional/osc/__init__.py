"""Functional tests of the openstackclient plugin: the real CLI."""
