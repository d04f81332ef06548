"""Team mode on the console side: what a console in a team does beyond solo mode.

A console in team mode takes its events from the relay's JetStream stream instead of its own
webhook receiver, claims calls before acting on them, and shares its operator's status. The
broker-facing pieces live in :mod:`console.relay` (Qt-free, tested on a real nats-server); this
package joins them to a :class:`~console.session.ConsoleSession` and gives the UI one typed
seam, :class:`~console.team.view.TeamView` (``session.team``; ``None`` in solo mode).

Modules:

* ``view`` - the :class:`TeamView` protocol and the plain values it hands the UI;
* ``mode`` - :class:`TeamMode`, the session's team mode (implements ``TeamView``);
* ``wire`` - the relay's statuses and claims as the UI's values, and back;
* ``broker_words`` - what the operator reads about the broker's state;
* ``actions`` - the checks a team action passes before anything reaches Telnyx;
* ``mirror`` - the relay's stream copied into the console journal, the cursor in its database;
* ``operations`` - operations that claim a call before picking it up, and supervisor legs;
* ``errors`` - :class:`TeamActionError`, a team action refused with words.
"""

from console.team.view import (
    CallClaim,
    Colleague,
    SupervisorMode,
    TeamChange,
    TeamListener,
    TeamView,
)

__all__ = [
    "CallClaim",
    "Colleague",
    "SupervisorMode",
    "TeamChange",
    "TeamListener",
    "TeamView",
]
