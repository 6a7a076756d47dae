"""Things that happen to registrations and events, for whoever needs to react.

The booking rules send these inside their transaction, before the commit, so that a receiver
(the mail outbox) writes its rows in the same transaction: both land, or neither does.
Receivers must not commit. Each signal's sender is the object named; extra data as keywords.
"""

from blinker import Namespace

_signals = Namespace()

#: A new registration was saved, confirmed or on the waiting list (sender: Registration).
registration_created = _signals.signal("registration-created")
#: Someone tried to sign up again with an address that already holds a place
#: (sender: the existing Registration). The response must not reveal it; email the person.
registration_duplicate = _signals.signal("registration-duplicate")
#: The person confirmed their address with the double opt-in link; their held place stays
#: (sender: Registration).
registration_address_confirmed = _signals.signal("registration-address-confirmed")
#: A waiting registration got a seat (sender: Registration).
registration_promoted = _signals.signal("registration-promoted")
#: A registration was cancelled (sender: Registration; by_organiser: bool).
registration_cancelled = _signals.signal("registration-cancelled")
#: Time or place of a published event changed and participants should be told
#: (sender: Event; changes: set of field names).
event_changed = _signals.signal("event-changed")
#: A published event was cancelled (sender: Event). Everyone registered is told.
event_cancelled = _signals.signal("event-cancelled")
#: Outbox rows were deleted with the personal data they held (sender: None; ids: list of
#: their ids). Sent after the commit; the mail area removes any copies it wrote of them.
outbox_messages_deleted = _signals.signal("outbox-messages-deleted")
