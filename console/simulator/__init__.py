"""The Telnyx simulator: an in-process stand-in for Telnyx Call Control (REST + webhooks)."""

from . import phones
from .delivery import DeliveryPolicy
from .faults import Faults
from .simulator import TelnyxSimulator

__all__ = ["DeliveryPolicy", "Faults", "TelnyxSimulator", "phones"]
