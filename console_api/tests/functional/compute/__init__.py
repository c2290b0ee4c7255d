"""Functional tests of the compute side over real RPC and a real database."""
