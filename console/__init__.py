"""telnyx-console: a desktop operator console for the Telnyx Call Control API."""

__version__ = "0.1.0"
APP_NAME = "telnyx-console"
