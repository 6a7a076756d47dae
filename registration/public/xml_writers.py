"""sitemap.xml (sitemaps.org protocol 0.9), written with the standard library."""

from __future__ import annotations

from xml.etree import ElementTree as ET

from ..timeutil import to_riga

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"


def sitemap(entries, url) -> bytes:
    """`url(endpoint, **values)` gives each entry's absolute address."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for entry in entries:
        item = ET.SubElement(root, "url")
        ET.SubElement(item, "loc").text = url(entry.endpoint, **entry.values)
        if entry.last_modified is not None:
            ET.SubElement(item, "lastmod").text = to_riga(entry.last_modified).isoformat(
                timespec="seconds"
            )
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
