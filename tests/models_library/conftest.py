from tests.models_library.factories import library  # noqa: F401
