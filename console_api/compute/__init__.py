"""The compute side: service layer, RPC client and the agent's manager."""
