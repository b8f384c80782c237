"""Enums whose members carry their label: `BOOSTCAMP = "boostcamp", _l("Boostcamp")`.

The value stays the plain string (the database column, the API and the JSON are unchanged);
the label is lazy, so it is translated when shown, in the reader's language. Forms take
their choices from `choices()`, pages show `member.label`: one place per enum for its words
(tests/core/test_labels.py checks that no dict of labels for an enum comes back)."""

import enum

from wtforms import SelectChoice


class Labelled(enum.StrEnum):
    """A StrEnum whose members are written `NAME = "value", _l("Label")`."""

    def __new__(cls, value: str, label):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        return member

    @property
    def label(self):
        """The lazy label: str() it (or show it in a template) inside a request or force_locale."""
        return self._label

    @classmethod
    def choices(cls, *members: "Labelled") -> list[SelectChoice]:
        """A select's (value, label) choices: every member in order, or those given, in theirs
        (SelectChoice, a named tuple: WTForms 3.2 deprecates plain tuples)."""
        return [SelectChoice(m.value, m.label) for m in (members or cls)]

    @classmethod
    def label_of(cls, value) -> object:
        """The label of a member or of its value; anything else (an old audit entry's value
        since removed, None) is shown as it is."""
        try:
            return cls(value).label
        except ValueError:
            return value
