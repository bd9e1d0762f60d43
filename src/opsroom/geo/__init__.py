"""Places: the gazetteer (GeoNames + curated) and toponym resolution.

    gaz = Gazetteer.load()
    entities = PlaceResolver(gaz).resolve(doc, article)
"""

from .gazetteer import Gazetteer, Place, distance_km
from .keys import place_key
from .resolver import PlaceResolver

__all__ = ["Gazetteer", "Place", "PlaceResolver", "distance_km", "place_key"]
