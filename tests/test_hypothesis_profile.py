"""`make test` is deterministic: the generated-input tests run the same examples every time."""

from hypothesis import settings

from tests import test_fuzz


def test_the_profile_in_force_is_derandomized_with_no_example_database():
    assert settings.default.derandomize is True
    assert settings.default.database is None
    assert settings.default.print_blob is True


def test_the_fuzz_tests_inherit_the_profile_in_force():
    for name in dir(test_fuzz):
        test = getattr(test_fuzz, name)
        own = getattr(test, "_hypothesis_internal_use_settings", None)
        if own is not None:
            assert own.derandomize is True, name
            assert own.database is None, name
            assert own.max_examples == settings.default.max_examples, name
