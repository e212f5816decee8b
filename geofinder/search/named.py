"""A shop's name before the category words inside it.

"The Coffee Shop", "Simply Market", "L'Alliance" read as category words (café-bar, marketplace,
jeweller: `geofinder.search.what`), but a resident typing them looks for the shop of that name.
`search_places` is the nearest-places search of the API: the places named exactly as the text
(folded: case, accents and punctuation aside) within NAME_FIRST_REACH_M of the point come first,
at most NAME_FIRST_MAX of them, nearest first; then the places of the categories, as
`place_search` finds them, without those already shown. Every filter of the query applies to
both. Where no place of that name is near, the answer is the category reading alone, and says
which words it did not understand.

Why exact names only, and only near: a text of category words alone ("boulangerie pâtisserie")
is also the name of a few bakeries somewhere; within a few kilometres, such a namesake is one
of the asked categories anyway, so putting it first costs little, while one 600 km away would
come before every bakery of the town. A resident searching a chain from far away
("Simply Market" in Toulouse, 600 km from the nearest) gets the category reading, with the word
of the name it did not understand ("simply") given back.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from django.utils import timezone

from geofinder.core.text import fold
from geofinder.search.query import SearchQuery
from geofinder.search.place_row import PlaceHit
from geofinder.search.selectors import SearchResult, place_search

# Metres (geodesic) from the point within which a place of exactly the typed name comes first.
NAME_FIRST_REACH_M = 20_000
# Places of that name put first at most, and places of similar names read to find them.
NAME_FIRST_MAX = 3
NAME_FIRST_FETCH = 10
# Longer texts are not looked for as names (as the contract's NAME_MAX_LENGTH: no shop's name).
NAME_FIRST_MAX_LENGTH = 64


def search_places(*, query: SearchQuery, now: datetime | None = None) -> SearchResult:
    """`place_search`, with the places named exactly as the text first when the text was read
    as categories (`query.what.name_first`); see the module's docstring."""
    name = query.what.name_first
    # A later page (`after`) continues the category reading: the names came on the first.
    if query.where is None or not name or len(name) > NAME_FIRST_MAX_LENGTH or query.after is not None:
        return place_search(query=query, now=now)
    at = query.open_at or now or timezone.now()  # one instant for both searches
    named = places_named(query=query, name=name, now=at)
    result = place_search(query=query, now=at)
    if not named:
        return result
    shown = {hit.id for hit in named}
    hits = named + [hit for hit in result.hits if hit.id not in shown][: query.limit - len(named)]
    # The name explains the words the category reading left unread.
    what = replace(query.what, names_found=True, unread=())
    return replace(result, query=replace(query, what=what), hits=hits)


def places_named(*, query: SearchQuery, name: str, now: datetime) -> list[PlaceHit]:
    """The places (at most NAME_FIRST_MAX, nearest first) whose folded name is `name`, within
    NAME_FIRST_REACH_M of the query's point and matching its filters."""
    what = replace(query.what, categories=(), name_query=name, name_first=None)
    reach = min(query.radius_m, NAME_FIRST_REACH_M) if query.radius_m else NAME_FIRST_REACH_M
    similar = place_search(query=replace(query, what=what, radius_m=reach, limit=NAME_FIRST_FETCH), now=now)
    return [hit for hit in similar.hits if fold(hit.name) == name][: min(NAME_FIRST_MAX, query.limit)]
