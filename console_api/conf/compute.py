"""[DEFAULT] options for compute agents: heartbeats, syncs and RPC."""

from oslo_config import cfg

agent_opts = [
    cfg.IntOpt(
        'report_interval',
        default=10,
        min=1,
        help="""
Seconds between two heartbeats of a compute agent.

Related options:

* ``service_down_time``: should be several times this value.
"""),
    cfg.IntOpt(
        'service_down_time',
        default=60,
        min=1,
        help="""
Maximum seconds since a compute agent's last heartbeat before the API treats
it as down and answers 409 at once instead of waiting on RPC.

Related options:

* ``report_interval``: must be smaller than this value.
"""),
    cfg.IntOpt(
        'sync_instances_interval',
        default=60,
        help="""
Seconds between two syncs of the hypervisor's domains into the inventory.

A sync records new, changed, moved and vanished servers and revokes the
console tokens of servers that vanished or moved. A value of 0 or less turns
the periodic sync off; the agent still syncs on start and on request.
"""),
    cfg.IntOpt(
        'rpc_call_timeout',
        default=10,
        min=1,
        help="""
Seconds the API waits for a compute agent to answer a console request before
it answers 503 to the client.
"""),
]


def register_opts(conf):
    conf.register_opts(agent_opts)


def list_opts():
    return {'DEFAULT': agent_opts}
