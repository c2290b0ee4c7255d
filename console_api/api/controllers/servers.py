"""Read-only ``GET /servers``, ``/servers/detail`` and ``/servers/{id}``.

Servers come from the compute agents' inventory: this API never creates
them. Listings show the caller's project; an administrator adds
``all_tenants=1`` to see every project.
"""

from oslo_utils import strutils

from console_api.api.controllers import common
from console_api.api.schemas import servers as schemas
from console_api.api import validation
from console_api.compute import power_state
from console_api.policies import servers as rules

_INDEX_QUERY = validation.Validator(schemas.index_query)


def _links(req, context, uuid):
    base = req.application_url.rstrip('/')
    root = req.host_url + req.script_name.rstrip('/').rsplit('/', 1)[0]
    project = context.project_id or ''
    return [
        {'rel': 'self', 'href': '%s/%s/servers/%s' % (base, project, uuid)},
        {'rel': 'bookmark',
         'href': '%s/%s/servers/%s' % (root.rstrip('/'), project, uuid)},
    ]


def _brief(req, context, instance):
    return {'id': instance.uuid, 'name': instance.name,
            'links': _links(req, context, instance.uuid)}


def _detail(req, context, instance, show_host):
    server = _brief(req, context, instance)
    server.update({
        'status': power_state.STATUS.get(instance.power_state, 'UNKNOWN'),
        'tenant_id': instance.project_id,
        'user_id': instance.user_id,
        'updated': instance.updated_at.strftime('%Y-%m-%dT%H:%M:%SZ')
        if instance.updated_at else None,
        'OS-EXT-STS:power_state': instance.power_state,
        'OS-EXT-STS:task_state': instance.task_state,
    })
    if show_host:
        server['OS-EXT-SRV-ATTR:host'] = instance.host
    return server


def _list(req, list_rule, all_tenants_rule):
    context = common.context(req)
    query = _INDEX_QUERY.validate(
        {key: values[-1]
         for key, values in validation.query_lists(req).items()})
    context.can(list_rule,
                {'project_id': context.project_id})
    project_id = context.project_id
    if strutils.bool_from_string(query.get('all_tenants', 'false')):
        context.can(all_tenants_rule)
        project_id = query.get('project_id')
    instances = common.compute_api(req).list_instances(context, project_id)
    return context, instances


def index(req):
    context, instances = _list(req, rules.INDEX, rules.INDEX_ALL_TENANTS)
    return {'servers': [_brief(req, context, i) for i in instances]}


def detail(req):
    context, instances = _list(req, rules.DETAIL, rules.DETAIL_ALL_TENANTS)
    show_host = context.can(rules.EXTENDED_ATTRIBUTES, fatal=False)
    return {'servers': [_detail(req, context, i, show_host)
                        for i in instances]}


def show(req, server_id):
    context = common.context(req)
    compute = common.compute_api(req)
    instance = compute.get_instance(context, server_id,
                                    common.project_filter(context))
    context.can(rules.SHOW,
                {'project_id': instance.project_id})
    show_host = context.can(rules.EXTENDED_ATTRIBUTES, fatal=False)
    return {'server': _detail(req, context, instance, show_host)}
