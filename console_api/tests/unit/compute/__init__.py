"""Unit tests of the compute side: service layer, RPC client, manager."""
