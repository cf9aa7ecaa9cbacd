"""`msme-qa check`: what a catalogue maintainer should fix."""

from __future__ import annotations

from collections import Counter

from qa.catalogue.links import is_web_link
from qa.catalogue.model import Anomaly, Catalogue


def check_catalogue(catalogue: Catalogue) -> list[Anomaly]:
    """Parser anomalies plus entry-level problems, in a stable order.

    Errors are data lost or wrong, or a sign that the file is not what it seems: an entry left out, an entry
    that swallowed another, a duplicate, an entry with no summary or institution, a link whose scheme is not
    http or https, control characters in a field. Warnings are served as they are but worth a look (a
    missing link, a date outside the period covered, a heading that is not a category)."""
    problems = list(catalogue.anomalies)
    for entry in catalogue.entries:
        if not entry.link:
            problems.append(Anomaly("link", f"{entry.title!r} ({entry.date}) has no link", entry.id, "warning"))
        for link in entry.links:
            if not is_web_link(link):
                problems.append(
                    Anomaly(
                        "link",
                        f"{entry.title!r} ({entry.date}) links to {link[:120]!r}, which is not a web link "
                        "(http or https); it is shown as text and never opened",
                        entry.id,
                    )
                )
        if not entry.summary:
            problems.append(Anomaly("summary", f"{entry.title!r} ({entry.date}) has no summary", entry.id))
        if not entry.institution:
            problems.append(Anomaly("institution", f"{entry.title!r} ({entry.date}) names no institution", entry.id))
        if catalogue.period and not catalogue.period[0] <= entry.date <= catalogue.period[1]:
            lo, hi = catalogue.period
            problems.append(
                Anomaly(
                    "date",
                    f"{entry.title!r} is dated {entry.date}, outside the period covered ({lo} to {hi})",
                    entry.id,
                    "warning",
                )
            )
    same = Counter((e.title.casefold(), e.date) for e in catalogue.entries)
    for (title, day), n in sorted(same.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        if n > 1:
            problems.append(Anomaly("duplicate", f"{n} entries are titled {title!r} on {day}"))
    if not catalogue.categories:
        problems.append(Anomaly("structure", "the document has no 'Thematic categories:' list", severity="warning"))
    if catalogue.period is None:
        problems.append(Anomaly("structure", "the document states no 'Period covered:'", severity="warning"))
    return problems
