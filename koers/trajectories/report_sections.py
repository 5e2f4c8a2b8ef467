"""Parts of the progress report that apps above trajectories add, such as the effect measurement.

The import layers forbid trajectories to import those apps, so they register here instead, in their
``AppConfig.ready``. The report PDF calls every registered section with the trajectory and the user who prints it,
and places the HTML fragments after its own life-domain part; a section returns ``None`` when it has nothing to
show. A section reads only what that user may see and escapes every value it writes (render a template).
"""

from collections.abc import Callable
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from koers.trajectories.models import Trajectory

Section = Callable[[Trajectory, Any], str | None]

_sections: list[Section] = []


def register(section: Section) -> Section:
    """Add ``section`` to the progress report; registering the same function twice adds it once."""
    if section not in _sections:
        _sections.append(section)
    return section


def sections_for(trajectory: Trajectory, user: Any) -> list[SafeString]:
    """The fragments of every registered section that has something to show, in the order of registration."""
    fragments = []
    for section in _sections:
        html = section(trajectory, user)
        if html:
            fragments.append(mark_safe(html))  # noqa: S308 - sections render templates, which escape every value
    return fragments
