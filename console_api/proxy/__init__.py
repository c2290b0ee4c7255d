"""Console proxy: websocket clients in front of guests' VNC, SPICE and serial.

One asyncio process serves every enabled proxy, each on its own listener;
no process or thread per session. ``server.ProxyService`` is the entry.
"""
