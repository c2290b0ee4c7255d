"""Sphinx configuration of the console-api API reference."""

import os

extensions = [
    'os_api_ref',
]

try:
    import openstackdocstheme  # noqa: F401
except ImportError:
    html_theme = 'alabaster'
else:
    extensions.append('openstackdocstheme')
    html_theme = 'openstackdocs'
    html_theme_options = {'sidebar_mode': 'toc'}
    # No git history lookups and no links to an upstream bug tracker.
    openstackdocs_auto_name = False
    openstackdocs_use_storyboard = False
    openstackdocs_repo_name = 'console-api/console-api'
    openstackdocs_bug_project = 'console-api'
    openstackdocs_bug_tag = 'api-ref'
    openstackdocs_pdf_link = False
    openstackdocs_last_updated = False

source_suffix = {'.rst': 'restructuredtext'}
master_doc = 'index'
project = 'console-api API Reference'
copyright = 'console-api developers'
exclude_patterns = []
pygments_style = 'native'
html_static_path = []
html_last_updated_fmt = '%Y-%m-%d'
# The samples live beside the code, two levels up.
api_samples_dir = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', 'doc', 'api_samples'))
