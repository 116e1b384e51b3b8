"""Django's own messages whose Vietnamese we correct in the project's catalogue
(``locale/``, first in ``LOCALE_PATHS``, so it wins over Django's): Django's translation has
a stray space before the final period ("… nhỏ hơn hoặc bằng với 9 ."). Marked here so
``makemessages`` keeps them in the catalogue; nothing imports this module."""

from django.utils.translation import gettext_noop as N_

OVERRIDDEN = (
    N_("Ensure this value is less than or equal to %(limit_value)s."),
    N_("Ensure this value is greater than or equal to %(limit_value)s."),
    N_("Please correct the duplicate data for %(field)s."),
)
