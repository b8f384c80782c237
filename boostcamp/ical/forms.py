from boostcamp.core.forms import FlaskForm


class CalendarFeedForm(FlaskForm):
    """Create or revoke a feed address: nothing to fill in, the CSRF token is the point."""
