"""The safety advice of the articles, in our own words, shown once per session.

Sources: ../shared/seeds 000 (stop on sharp pain; recent injury needs
clearance first; see someone if it lasts over two weeks), 002 (check with a
doctor before starting, especially with pain now or a recent injury), 003
(the warning signs that need a professional first), 001 (sharp or lasting
pain means stop).
"""

from __future__ import annotations

SAFETY_LINES = (
    "Move slowly and only as far as is comfortable. Mild stretching is fine; sharp pain is not: stop.",
    "See a doctor or physiotherapist before starting (or before going on) if you have: a recent injury, "
    "a fall or a possible fracture; numbness, tingling, weakness or pain spreading into a leg; changes in "
    "bladder or bowel control; pain that wakes you at night, fever or unexplained weight loss; a history of "
    "cancer or osteoporosis; or pain that is getting worse, or no better after 4 to 6 weeks.",
)

#: The short version on the live screen, shown for the first seconds of a session.
SAFETY_SHORT = "Stop if you feel sharp pain. Numb or tingling legs: see a professional first."
SHOW_FOR_S = 8.0
