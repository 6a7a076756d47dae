"""Back-office screens. Access control comes with the organiser login."""
