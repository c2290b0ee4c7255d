"""Sphinx configuration of the console-api documentation."""

extensions = [
    'oslo_config.sphinxext',
    'oslo_config.sphinxconfiggen',
    'oslo_policy.sphinxext',
    'oslo_policy.sphinxpolicygen',
]

try:
    import openstackdocstheme  # noqa: F401
except ImportError:
    html_theme = 'alabaster'
else:
    extensions.append('openstackdocstheme')
    html_theme = 'openstackdocs'
    # No git history lookups and no links to an upstream bug tracker.
    openstackdocs_auto_name = False
    openstackdocs_use_storyboard = False
    openstackdocs_repo_name = 'console-api/console-api'
    openstackdocs_bug_project = 'console-api'
    openstackdocs_bug_tag = 'docs'
    openstackdocs_pdf_link = False
    openstackdocs_last_updated = False

# The sample files are generated from the code on every build.
config_generator_config_file = (
    '../../etc/console_api/oslo-config-generator/console_api.conf')
sample_config_basename = '_static/console_api'
policy_generator_config_file = (
    '../../etc/console_api/oslo-policy-generator/console_api.conf')
sample_policy_basename = '_static/console_api'

source_suffix = {'.rst': 'restructuredtext'}
master_doc = 'index'
project = 'console-api'
copyright = 'console-api developers'
exclude_patterns = ['_build']
pygments_style = 'native'
html_static_path = ['_static']
