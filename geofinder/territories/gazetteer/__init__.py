"""The gazetteer: place names, postcodes and arrondissements of France to points, read locally.

The communes of today (INSEE COG 2026, drawn with the 2018 boundaries) and La Poste's postcodes
in PostGIS. Texts are compared through `geofinder.core.text.place_name_key` (lower case, no
accents, "St" = Saint, leading article dropped), the key stored in `CommuneName.search_name`,
which holds each commune's name, the former name of a renamed one ("Saint-Ouen" →
Saint-Ouen-sur-Seine) and the names of former communes now part of one ("Courcouronnes" →
Évry-Courcouronnes, at its own place):

- "31670" → the postcode; shared by several communes, its point is that of the most populous;
- "Labège", "LABEGE", "St-Orens-de-Gameville" → the commune; the most precise match wins:
  exact key, then the one commune whose key starts with the text, then the one commune within a
  few typos ("Toulousse", see typos.py) found through the trigram index on `search_name`;
- homonyms are ranked by population: one ten times as populous as any other is the one meant
  ("Valence" → Valence (26)), else they are listed, most populous first;
- "Saint-Martin 32", "Saint-Martin (2A)" → restricted to a département; "Castelnau 31620",
  "31670 Labège" → restricted to the communes of a postcode;
- "Paris 15e", "Paris XVe", "Lyon 3e arrondissement" → the arrondissement's postcode;
- "12 rue de la Paix, 31670 Labège" → the address through the network geocoder
  (geofinder.territories.geocoder: only with GEOFINDER_NETWORK on, with a timeout and a budget
  per request), else its locality, labelled as approximate.

Every point given lies inside its commune: a commune's is geo.api.gouv.fr's centre (or a point
inside its polygon, see imports/current_communes.py), a postcode's La Poste's point when inside
its commune, else the commune's. Several communes matching equally raise WhereAmbiguous, listing
them; a text matching none raises WhereNotFound with the closest names as suggestions.

Two readers: the residents' where texts (`where_resolve`, `where_candidates`, used by
geofinder.search.where) and the localities of imported rows (`locality_locate`, used by
geofinder.imports.geocoding).
"""

from geofinder.territories.gazetteer.communes import HOMONYM_DOMINANCE
from geofinder.territories.gazetteer.locality import Locality, locality_locate
from geofinder.territories.gazetteer.postcodes import department_code_of_postcode
from geofinder.territories.gazetteer.resolve import where_candidates, where_resolve
from geofinder.territories.gazetteer.types import (
    APPROXIMATE,
    MAX_CANDIDATES,
    Where,
    WhereAmbiguous,
    WhereError,
    WhereNotFound,
)

__all__ = [
    "APPROXIMATE", "HOMONYM_DOMINANCE", "MAX_CANDIDATES", "Locality", "Where", "WhereAmbiguous", "WhereError",
    "WhereNotFound", "department_code_of_postcode", "locality_locate", "where_candidates", "where_resolve",
]
