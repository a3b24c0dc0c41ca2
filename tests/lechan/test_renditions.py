"""The pixels of a photo: which renditions it gets, and how little of it is decoded."""

import io

import pytest
from PIL import Image

from lechan import renditions
from tests.lechan.test_images import photo


def test_rendition_widths_keep_every_rendition_within_webp_s_height():
    assert renditions.rendition_widths(2000, 1000) == [480, 960, 1440]
    assert renditions.rendition_widths(1080, 20000) == [480, 884]
    assert renditions.rendition_widths(100, 16383) == [100]
    assert renditions.rendition_widths(100, 16384 * 100) == []
    for width, height in [(1080, 20000), (7, 100_000), (40_000, 1), (1, 16383)]:
        for w in renditions.rendition_widths(width, height):
            assert max(renditions.rendition_size((width, height), w)) <= 16383


@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP"])
def test_renditions_of_a_large_photo_come_from_a_copy_decoded_or_reduced_to_their_size(
    image_format,
):
    """The full 6000×4000 pixels are held once, for the original; not while renditions are made."""
    upload = photo(size=(6000, 4000), image_format=image_format, name="lon.jpg")
    found, size, original, source = renditions.clean_upload(upload)
    with source:
        assert (found, size) == (image_format, (6000, 4000))
        assert source.size == (1500, 1000)  # a quarter: at least the 1440 px rendition
    with Image.open(io.BytesIO(original)) as stored_original:
        assert stored_original.size == (6000, 4000)
