/* Vietnamese for the rich-text editor's dialogs: django-prose-editor asks window.gettext,
   which the admin's JavaScript catalogue provides; its strings are added here. */
(function () {
  "use strict";
  if (!window.django || !window.django.catalog) {
    return;
  }
  Object.assign(window.django.catalog, {
    "Add caption": "Thêm chú thích",
    "Alternative Text": "Văn bản thay thế",
    "Bullets": "Dấu chấm",
    "Cancel": "Huỷ",
    "Caption": "Chú thích",
    "Decimal numbers": "Số thập phân",
    "Edit Figure": "Sửa ảnh",
    "Edit HTML": "Sửa HTML",
    "Edit Image": "Sửa ảnh",
    "Edit Link": "Sửa liên kết",
    "Image URL": "Địa chỉ ảnh",
    "Insert": "Chèn",
    "Insert Figure": "Chèn ảnh",
    "List properties": "Thuộc tính danh sách",
    "List type": "Kiểu danh sách",
    "Lowercase Roman numerals": "Số La Mã thường",
    "Lowercase letters": "Chữ thường",
    "Open in new window": "Mở trong cửa sổ mới",
    "Prettify": "Trình bày lại",
    "Remove caption": "Bỏ chú thích",
    "Start at": "Bắt đầu từ",
    "Title": "Tiêu đề",
    "Toggle fullscreen": "Toàn màn hình",
    "URL": "Địa chỉ",
    "Update": "Cập nhật",
    "Uppercase Roman numerals": "Số La Mã hoa",
    "Uppercase letters": "Chữ hoa"
  });
})();
