"""schema.org Event data for search engines and link previews."""

from __future__ import annotations

from flask import current_app

from ..models import Event
from ..timeutil import to_riga
from ..urls import external_url


def event_json_ld(event: Event) -> dict:
    """JSON-LD for the public event page. Never the private join link of an online event."""
    page = external_url("public.event_detail", slug=event.slug)
    if event.is_online:
        location = {"@type": "VirtualLocation", "url": page}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    else:
        location = {
            "@type": "Place",
            "name": event.venue_name or event.venue_address,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": event.venue_address,
                "addressCountry": "LV",
            },
        }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.summary or event.description[:300],
        "startDate": to_riga(event.starts_at).isoformat(),
        "endDate": to_riga(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "url": page,
        "isAccessibleForFree": True,
        "offers": {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": page,
            "availability": "https://schema.org/SoldOut"
            if event.seats_left == 0 and not event.has_waiting_list
            else "https://schema.org/InStock",
        },
    }
    data["organizer"] = {"@type": "Organization", "name": current_app.config["ORGANISATION_NAME"]}
    if event.contact_email:
        data["organizer"]["email"] = event.contact_email
    return data
