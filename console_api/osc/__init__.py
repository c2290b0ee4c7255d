"""An openstackclient plugin: ``openstack console session ...`` commands."""
