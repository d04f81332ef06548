"""telnyx package."""
