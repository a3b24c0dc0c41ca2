"""Form widgets for the list filters: range inputs that each carry their own label."""

import django_filters


def _label(widgets, labels):
    for widget, label in zip(widgets, labels, strict=True):
        widget.attrs["aria-label"] = label


class RangeWidget(django_filters.widgets.RangeWidget):
    """ "From" and "to" numbers, `name_min` and `name_max` in the query string."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"inputmode": "decimal", **(attrs or {})})
        _label(self.widgets, ("Từ", "Đến"))


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """Two native date pickers, `name_after` and `name_before` in the query string."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        for widget in self.widgets:
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"
        _label(self.widgets, ("Từ ngày", "Đến ngày"))
