"""Admin pieces both apps share: shared mixins, the editorial admin, Vietnamese permission labels.

`EditorialAdmin` (editorial.py) gives an app's main model (article, project) what editors
rely on: revision history and restore, recovery of deleted items, the edit lock of
`VersionedForm` (forms.py), a "Xem trước" link, and the item's workflow history. Every admin
of the site derives from `BoundedInputMixin` (mixins.py). The core registers one model of its
own, `Redirect` (redirects.py), and the users and groups pages (users.py); it imports no app.
"""

from lechan.admin import redirects, users  # noqa: F401 (they register their admins)
from lechan.admin.editorial import EditorialAdmin, view_on_site
from lechan.admin.forms import VersionedForm
from lechan.admin.mixins import (
    BoundedInputMixin,
    FoldedSearchMixin,
    ParentEditableMixin,
    PhotoFailureMixin,
    ThumbnailMixin,
)
from lechan.editorial.revisions import EMPTY

__all__ = [
    "EMPTY",
    "BoundedInputMixin",
    "EditorialAdmin",
    "FoldedSearchMixin",
    "ParentEditableMixin",
    "PhotoFailureMixin",
    "ThumbnailMixin",
    "VersionedForm",
    "view_on_site",
]
