"""Version of the installed console-api distribution."""

import pbr.version

version_info = pbr.version.VersionInfo('console-api')


def version_string():
    """Return the release string, or 'unknown' outside an installed tree."""
    try:
        return version_info.version_string()
    except Exception:  # pragma: no cover - pbr cannot find metadata
        return 'unknown'
