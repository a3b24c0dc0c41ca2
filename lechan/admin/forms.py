"""The edit lock of the editorial admin: a form that will not save over another's change."""

from django import forms
from django.core.exceptions import ValidationError

from lechan.editorial import revisions


class VersionedForm(forms.ModelForm):
    """A form that refuses to save over a change made since it was opened.

    It carries the `version` the editor opened; if the stored one has moved on, the save
    is refused with who saved meanwhile and what they changed, the editor's input stays in
    the form, and the form now carries the new version: saving again, knowingly, wins.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflict = None
    request = None  # set by EditorialAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug and slug != self.instance.slug and not self.instance.slug_is_free(slug):
            raise ValidationError(
                "Đường dẫn này là địa chỉ cũ của một mục khác (đang chuyển hướng tới đó); "
                "hãy chọn đường dẫn khác."
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = cleaned.get("edit_version")
        if opened is None:
            # Without the version it was opened at, a save could overwrite someone else's.
            self.errors.pop("edit_version", None)  # its own error would sit in a hidden row
            raise ValidationError(
                "Chưa lưu: trang sửa này không cho biết bạn mở %(what)s từ phiên bản nào, nên "
                "không kiểm tra được có ai lưu trong lúc bạn sửa hay không. Nội dung bạn nhập "
                "vẫn còn bên dưới: hãy chép lại phần mình sửa, tải lại trang rồi sửa tiếp.",
                code="no_version",
                params={"what": type(self.instance)._meta.verbose_name},
            )
        model = type(self.instance)
        # Locked until the admin's transaction ends, so two saves cannot both pass.
        current = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None or current.version == opened:
            return cleaned
        self.conflict = revisions.conflict(current, opened)
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current.version
        raise ValidationError(
            "Chưa lưu: trong lúc bạn sửa, %(who)s đã lưu %(what)s này%(at)s. Nội dung bạn nhập "
            "vẫn còn nguyên bên dưới. Xem những gì đã thay đổi, sửa lại nếu cần, rồi bấm Lưu "
            "lần nữa nếu vẫn muốn ghi bản của bạn lên bản của họ.",
            code="conflict",
            params={
                "who": self.conflict.who,
                "what": model._meta.verbose_name,
                "at": f" lúc {self.conflict.at}" if self.conflict.at else "",
            },
        )
