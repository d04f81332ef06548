"""The Telnyx simulator: an in-process stand-in for Telnyx Call Control (REST + webhooks).

The simulator itself (aiohttp, the spec's rules) loads on first use: the window only reads
the demo's phone book (``phones``), and a console on a real account never runs the rest.
"""

from typing import TYPE_CHECKING, Any

from . import phones

if TYPE_CHECKING:
    from .delivery import DeliveryPolicy
    from .faults import Faults
    from .simulator import TelnyxSimulator

_LAZY = {
    "DeliveryPolicy": "delivery",
    "Faults": "faults",
    "TelnyxSimulator": "simulator",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    return getattr(import_module(f"{__name__}.{module}"), name)


__all__ = ["DeliveryPolicy", "Faults", "TelnyxSimulator", "phones"]
