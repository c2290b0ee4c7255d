"""oslo.i18n integration: the translation marker used across console-api."""

import oslo_i18n

_translators = oslo_i18n.TranslatorFactory(domain='console_api')

# The primary translation function using the well-known name "_"
_ = _translators.primary
