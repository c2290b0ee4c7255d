"""Unit tests of the openstackclient plugin."""
