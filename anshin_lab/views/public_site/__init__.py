"""The static public site (``anshin publish``): sent alerts, statistics, the public map and how places are coarsened.

Every page in every language of ``drafting.languages.LANGUAGES``, fully
offline; built only from ``app.public_data``. See ``site.write_site``.
"""

from anshin_lab.views.public_site.site import DEFAULT_OUT, SiteResult, write_site

__all__ = ["DEFAULT_OUT", "SiteResult", "write_site"]
