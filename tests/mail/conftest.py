import pytest

from tests.mail.helpers import add_sample_templates


@pytest.fixture(autouse=True)
def sample_mail_templates(app):
    add_sample_templates(app)
