"""A job module whose own import is broken: the worker must say so, not skip it."""

import no_such_package  # noqa: F401
