"""Casualty figures and weapon counts, in words and digits.

A figure says what was counted (fatalities, injuries, or casualties when a report lumps
dead and wounded together), the conservative value, the span ("1,000 to 1,500" gives low
1,000 and high 1,500), and why.  Vague words map to the smallest count they plainly allow,
as ACLED codes them ("dozens" 12, "hundreds" 100; the rule is written in
``data/events/numbers.json``).  A stated zero ("without causing casualties", "escaped
injury", "No American troops were killed or wounded") is 0; an unstated figure is no
figure at all, never 0.  Counts of weapons ("at least 14 rockets") are read by
:func:`weapon_quantity` and never mixed with casualties.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from spacy.tokens import Span, Token

from .lexicon import Lexicon, load_lexicon
from .tree import slipped_participle

Field = Literal["fatalities", "injuries", "casualties"]


@dataclass(frozen=True)
class Count:
    """A number read from text: conservative value, span, and how it was read."""

    value: int
    low: int
    high: int
    text: str
    reason: str


@dataclass(frozen=True)
class Figure:
    """A casualty figure stated in a sentence."""

    field: Field
    value: int
    low: int
    high: int
    text: str
    start: int
    end: int
    reason: str


_DIGITS = re.compile(r"(\d[\d,]*(?:\.\d+)?)(?:\s*(million|thousand|hundred))?")
_SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}


def _read_number(words: list[str], lex: Lexicon) -> tuple[int, int, str] | None:
    """Read one number at the start of ``words``: (value, words used, reason)."""
    if not words:
        return None
    vague = lex.numbers["vague"]
    table = lex.numbers["words"]
    # Multi-word vague quantities first ("tens of thousands", "a number of").
    for size in (3, 2, 1):
        phrase = " ".join(words[:size])
        if phrase in vague and size <= len(words):
            scale = words[size] if len(words) > size else ""
            if scale in _SCALE:  # "several hundred": the vague word times the scale
                return vague[phrase] * _SCALE[scale], size + 1, f"vague quantity '{phrase} {scale}'"
            return vague[phrase], size, f"vague quantity '{phrase}'"
    if words[0] in ("a", "an") and len(words) > 1 and words[1] in ("dozen", "hundred",
                                                                    "thousand", "million",
                                                                    "couple", "pair"):
        words = ["one", *words[1:]]
    m = _DIGITS.fullmatch(words[0])
    if m:
        try:
            value = float(m.group(1).replace(",", ""))
        except ValueError:
            return None
        used = 1
        if len(words) > 1 and words[1] in _SCALE:
            value *= _SCALE[words[1]]
            used = 2
        return int(value), used, "digits"
    total, current, used = 0, 0, 0
    for w in words:
        parts = w.split("-")
        if not all(p in table for p in parts):
            break
        for p in parts:
            n = table[p]
            if n in (100, 1000, 1_000_000) and p != "dozen":
                current = max(current, 1) * n
                if n >= 1000:
                    total, current = total + current, 0
            elif p == "dozen":
                current = max(current, 1) * 12
            else:
                current += n
        used += 1
    if not used:
        return None
    return total + current, used, "number words"


def parse_count(text: str, lex: Lexicon | None = None) -> Count | None:
    """Read a count phrase ("at least 14", "more than 100", "1,000 to 1,500", "dozens")."""
    lex = lex or load_lexicon()
    words = re.findall(r"[\w,.’'-]+", text.lower().replace("’s", "").replace("'s", ""))
    words = [w.strip(".'’") for w in words if w.strip(".'’")]
    prefix = ""
    for mod in sorted(lex.numbers["lower_bound"], key=len, reverse=True):
        mw = mod.split()
        if words[: len(mw)] == mw:
            # "some 2,000" is approximate, but bare "some" is itself a vague count.
            if mod == "some" and len(words) > 1 and _read_number(words[1:], lex) is None:
                continue
            prefix, words = mod, words[len(mw):]
            break
    first = _read_number(words, lex)
    if first is None:
        return None
    value, used, how = first
    rest = words[used:]
    high = value
    if len(rest) >= 2 and rest[0] in ("to", "-", "–", "or"):
        second = _read_number(rest[1:], lex)
        if second is not None and second[0] >= value:
            high = second[0]
            how = f"range {value} to {high}"
    reason = how if not prefix else f"{how}, '{prefix}': the stated number is kept"
    return Count(value=value, low=value, high=high, text=text, reason=reason)


def _phrase_before(tok: Token) -> str:
    """The words of ``tok``'s phrase up to and including ``tok`` ("more than 100")."""
    doc = tok.doc
    return doc[tok.left_edge.i : tok.i + 1].text


def _count_of_noun(noun: Token, lex: Lexicon) -> Count | None:
    """The number a noun phrase states ("22 of its members", "two people", "No troops")."""
    for child in noun.children:
        if child.dep_ == "det" and child.lower_ in ("no", "none"):
            return Count(0, 0, 0, child.text, "stated zero ('no')")
    if noun.lower_ in ("nobody", "none") or (noun.lower_ == "one" and any(
            c.lower_ == "no" for c in noun.children)):
        return Count(0, 0, 0, noun.text, "stated zero")
    count = parse_count(_phrase_before(noun), lex)
    if count is not None:
        return count
    num = next((c for c in noun.children if c.dep_ == "nummod" and c.i < noun.i), None)
    if num is not None:  # "dead two shepherds": a word before the number
        count = parse_count(noun.doc[num.left_edge.i : noun.i + 1].text, lex)
        if count is not None:
            return count
    if noun.tag_ == "NN" and any(c.dep_ in ("det", "poss") and c.lower_ in _ONE_DETS
                                 for c in noun.children) \
            and any(lex.in_class(noun.lemma_, c) for c in ("person", "civilian", "combatant")):
        # "killed a shepherd", "killing the driver", "wounding its commander": one person.
        return Count(1, 1, 1, _phrase_before(noun), "one person (a singular noun)")
    if _one_named(noun):
        # "he was bombed and killed", "gunmen shot dead Ali Hassan": one person, and
        # each named person joined to him by "and" is one more.
        n = 1 + sum(1 for c in noun.conjuncts if _one_named(c))
        return Count(n, n, n, _phrase_before(noun), "named people or a singular pronoun")
    # The count may be the head: "dozens of dead", "hundreds of people".
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of":
        return parse_count(_phrase_before(head.head), lex)
    return None


#: Determiners of one person named by a singular noun.
_ONE_DETS = frozenset({"a", "an", "the", "its", "his", "her", "their", "this", "that"})
#: Pronouns that stand for one person.
_ONE_PERSON = {"he", "him", "she", "her", "himself", "herself"}


def _one_named(tok: Token) -> bool:
    """A noun phrase that is one person: a singular personal pronoun or a person's name."""
    return tok.lower_ in _ONE_PERSON or (tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON")


def _field_of(tok: Token, lex: Lexicon) -> Field | None:
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if lemma in lex.numbers["killed"] or low in lex.numbers["killed"]:
        return "fatalities"
    if lemma == "send" and any(p.lower_ == "hell" for c in tok.children if c.dep_ == "prep"
                               and c.lower_ == "to" for p in c.children):
        return "fatalities"  # "six terrorists were sent to hell": a military statement's kill
    if lemma in lex.numbers["wounded"] or low in lex.numbers["wounded"]:
        return "injuries"
    if lemma in lex.numbers["casualty"]:
        return "casualties"
    return None


#: Military statements' word for killing, which also says a device was made safe: a
#: death only when fighters are its object ("neutralised 12 terrorists").
_EUPHEMISMS = frozenset({"neutralise", "neutralize"})

#: Verbs whose object is a death their subject met: "embraced martyrdom", "met their deaths".
_MEETING_DEATH = frozenset({"embrace", "meet", "attain", "achieve"})
#: Verbs whose subject is who died: "20 people died", "two perished".
_INTRANSITIVE_DEATH = frozenset({"die", "perish", "succumb"})


#: Verbs that take their victim as object: with a counted subject and no object, a
#: note's or headline's passive with "were" left out ("7 killed", "two civilians wounded").
_HARM_VERBS = frozenset({"kill", "wound", "injure"})


def elided_passive(verb: Token) -> bool:
    """Whether ``verb`` is a passive whose auxiliary a note left out: "Car bomb in Afrin,
    7 killed" ("7" is who was killed, not who killed)."""
    if verb.lemma_.lower() not in _HARM_VERBS or any(c.dep_ == "dobj" for c in verb.children):
        return False
    return _counted_subject(verb) is not None


def _counted_subject(verb: Token) -> Token | None:
    """The verb's subject that carries a number.  A note's run-on ("Clashes between SDF
    and ISIS near X, 4 SDF fighters killed") gives the verb two subjects; the counted
    one is who was killed."""
    return next((c for c in verb.children if c.dep_ == "nsubj" and (c.like_num or any(
        x.dep_ == "nummod" for x in c.children))), None)


def _victim_of(tok: Token) -> Token | None:
    """The noun counted by a casualty word."""
    deps = {c.dep_: c for c in tok.children}
    if tok.pos_ in ("VERB", "AUX"):
        if "auxpass" in deps or tok.tag_ == "VBN" and tok.dep_ in ("conj", "acl"):
            for key in ("nsubjpass", "nsubj"):
                if key in deps:
                    return deps[key]
            if tok.dep_ == "acl":
                before = tok.doc[tok.i - 1] if tok.i > 0 else None
                if before is not None and before.like_num and before.dep_ != "nummod" \
                        and tok.lemma_.lower() in _HARM_VERBS:
                    # A note's "…, Idlib, 2 killed from both sides": the parser hangs the
                    # number elsewhere; the count just before the verb is who was killed.
                    return before
                return tok.head
        if "dobj" in deps:
            return slipped_participle(deps["dobj"])
        if "nsubj" in deps and elided_passive(tok):
            return _counted_subject(tok)  # a note's "7 killed", "two civilians wounded"
        if "nsubj" in deps and tok.lemma_.lower() in _INTRANSITIVE_DEATH:
            return deps["nsubj"]  # "At least 20 people died when a bomber …"
        if tok.dep_ == "conj" and "nsubj" in deps and tok.head.pos_ == "VERB" and any(
                c.dep_ == "auxpass" for c in tok.head.children):
            # "Three soldiers were killed and four others wounded": the conjunct drops its
            # "were", and its own subject is who was wounded.
            return deps["nsubj"]
        if tok.dep_ == "conj":
            return _victim_of(tok.head) if tok.head.pos_ == "VERB" else None
        for c in tok.conjuncts:
            sub = {x.dep_: x for x in c.children}
            if "dobj" in sub:
                return sub["dobj"]
        return None
    # A note's "3 dead", "five injured": the count is the adjective's own subject.
    if tok.pos_ == "ADJ" and "nsubj" in deps and (deps["nsubj"].like_num or any(
            c.dep_ == "nummod" for c in deps["nsubj"].children)):
        return deps["nsubj"]
    # "Car bomb explosion in Afrin city, 4 civilians dead": the parser hangs the counted
    # people on the adjective as a measure.
    if tok.pos_ == "ADJ" and "npadvmod" in deps and any(
            c.dep_ == "nummod" for c in deps["npadvmod"].children):
        return deps["npadvmod"]
    # A result of a verb: "leaving two passengers dead", "left three policemen dead".
    if tok.dep_ in ("oprd", "xcomp", "acomp", "ccomp") and tok.head.pos_ in ("VERB", "AUX"):
        obj = next((c for c in tok.head.children if c.dep_ == "dobj"), None)
        if obj is not None:
            return obj
    # "Gunmen shot dead two brothers": the parser may hang "dead" on the object itself.
    if tok.dep_ == "amod" and tok.head.dep_ == "dobj" and tok.i < tok.head.left_edge.i + 2 \
            and tok.head.head.pos_ == "VERB":
        return tok.head
    # "A woman was hacked to death", "mobs beat two men to death": the verb's object or
    # passive subject died of it.
    if tok.dep_ == "pobj" and tok.head.lower_ == "to" and tok.head.head.pos_ == "VERB" \
            and tok.head.head.dep_ != "relcl" \
            and not any(c.dep_ in ("det", "poss", "amod") for c in tok.children):
        verb = tok.head.head
        found = next((c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")), None)
        if found is not None:
            return slipped_participle(found) if found.dep_ == "dobj" else found
    # Nouns and adjectives: "martyrdom of 22 fighters", "22 dead", "dozens of dead".
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    if tok.dep_ == "pobj" and tok.head.lower_ == "of":
        return tok
    if any(c.dep_ in ("nummod", "quantmod") for c in tok.children):
        return tok
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _MEETING_DEATH:
        # "two soldiers embraced martyrdom", "three met their deaths": who met it.
        return next((c for c in tok.head.children if c.dep_ == "nsubj"), None)
    return None


def _with_gapped_parts(verb: Token, count: Count, lex: Lexicon) -> Count:
    """Add the counts a gapped conjunct gives the same verb.

    "Four soldiers were killed by sniper fire and two by a roadside bomb": the second
    clause drops its verb, and the parser hangs its number ("two") on the first verb as
    a conjunct.  Each part counts the same field of the same happening, so the figure is
    their sum (ACLED: 6), with the span of the parts.
    """
    parts = [count]
    for c in verb.children:
        if c.dep_ != "conj" or c.pos_ in ("VERB", "AUX"):
            continue
        if c.pos_ == "NUM":
            part = parse_count(c.text, lex)
        elif c.pos_ == "NOUN" and any(x.dep_ == "nummod" for x in c.children):
            part = _count_of_noun(c, lex)
        else:
            part = None
        if part is not None and part.value > 0:
            parts.append(part)
    return _summed(parts, "sum of parts told with one verb")


def _with_joined_victims(victim: Token, count: Count, lex: Lexicon) -> Count:
    """Add the counts of victims joined by "and" to the first ("killed 9 soldiers and 14
    militants": 23 dead, whichever side they fought on; ACLED counts every death of the
    event).  Only nouns with a count of their own add; "two soldiers and their driver"
    names no number for the second, and the first count stands."""
    parts = [count]
    for c in victim.conjuncts:
        if c.i > victim.i and _shares_article(victim, c, lex):
            # "a father and son": one article for two people.
            parts.append(Count(1, 1, 1, c.text, "one person (a singular noun)"))
            continue
        if c.i < victim.i or c.pos_ not in ("NOUN", "PROPN") or not any(
                x.dep_ == "nummod" or (x.dep_ == "det" and x.lower_ in ("a", "an"))
                for x in c.children):
            continue
        part = _count_of_noun(c, lex)
        if part is None or part.value <= 0:
            return count
        parts.append(part)
    return _summed(parts, "sum of the victims joined by 'and'")


def _shares_article(first: Token, other: Token, lex: Lexicon) -> bool:
    """Whether a bare singular person noun shares the "a" of the one before it ("a father
    and son", "a woman and child")."""
    return first.tag_ == "NN" and other.tag_ == "NN" and not any(
        x.dep_ in ("det", "poss", "nummod") for x in other.children) and any(
        x.dep_ == "det" and x.lower_ in ("a", "an") for x in first.children) \
        and lex.in_class(other.lemma_, "person")


def _summed(parts: list[Count], why: str) -> Count:
    """One count of several parts of one figure (the first alone when there is one)."""
    if len(parts) == 1:
        return parts[0]
    text = " + ".join(p.text for p in parts)
    return Count(sum(p.value for p in parts), sum(p.low for p in parts),
                 sum(p.high for p in parts), text, f"{why}: {text}")


#: Prepositions that make a death the cause of what the clause tells, not its toll:
#: "riots after the death of a detainee", "protests over the killing of a student".
_CAUSE_PREPS = frozenset({"after", "following", "over", "against"})


def casualty_figures(sent: Span, lex: Lexicon | None = None) -> list[Figure]:
    """Every casualty figure stated in a sentence (or clause)."""
    lex = lex or load_lexicon()
    figures: list[Figure] = []
    low_text = sent.text.lower()
    for phrase in lex.numbers["zero_phrases"]:
        at = low_text.find(phrase)
        if at >= 0:
            start = sent.start_char + at
            zero_fields: tuple[Field, ...] = ("fatalities", "injuries")
            for zf in zero_fields:
                figures.append(Figure(zf, 0, 0, 0, sent.text[at : at + len(phrase)], start,
                                      start + len(phrase), f"stated zero: '{phrase}'"))
            return figures
    if any(phrase in low_text for phrase in lex.numbers["no_figure_phrases"]):
        # "killed some fighters but he did not give any numbers": the report itself says
        # no count was given, so a vague word is no figure here.
        return figures
    seen: set[tuple[str, int]] = set()
    for tok in sent:
        fld = _field_of(tok, lex)
        if fld is None:
            continue
        if tok.lemma_.lower() == "toll" or tok.dep_ == "compound":
            continue
        if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ in _CAUSE_PREPS:
            continue  # "torched a station after the death of a detainee": the cause's dead
        if fld == "injuries" and tok.dep_ == "pobj" and tok.head.lower_ in ("of", "from") \
                and tok.head.head.lemma_.lower() in _INTRANSITIVE_DEATH:
            continue  # "two soldiers died of their wounds": the dead, not the wounded
        neg = any(c.dep_ == "neg" for c in tok.children)
        victim = _victim_of(tok)
        if neg:
            count: Count | None = Count(0, 0, 0, tok.text, "negated: stated zero")
        elif victim is None:
            continue
        elif tok.lemma_.lower() in _EUPHEMISMS and not lex.in_class(
                victim.lemma_.lower(), "combatant"):
            continue  # "neutralised two IEDs": a device made safe, not a death
        else:
            count = _count_of_noun(victim, lex)
        if count is None:
            continue
        if count.value > 0 and tok.pos_ in ("VERB", "AUX"):
            count = _with_gapped_parts(tok, count, lex)
        if count.value > 0 and victim is not None:
            count = _with_joined_victims(victim, count, lex)
        victim_i = victim.i if victim is not None else tok.i
        if (fld, victim_i) in seen:
            continue
        start = tok.idx if victim is None else victim.left_edge.idx
        end = victim.idx + len(victim.text) if victim is not None else tok.idx + len(tok.text)
        # One count shared by "dead and wounded" is a casualty figure, not two figures.
        twin = next((f for f in figures if f.field in ("fatalities", "injuries")
                     and f.field != fld and f.text == count.text
                     and ((f.field, victim_i) in seen or count.reason.startswith("vague"))),
                    None)
        if twin is not None and count.value > 0:
            figures.remove(twin)
            figures.append(Figure("casualties", count.value, count.low, count.high, count.text,
                                  start, end, count.reason + "; dead and wounded counted together"))
            seen.add((fld, victim_i))
            continue
        seen.add((fld, victim_i))
        figures.append(Figure(fld, count.value, count.low, count.high, count.text, start, end,
                              count.reason))
        # "killed or wounded" under one negation states two zeros.
        if count.value == 0:
            for c in tok.conjuncts:
                other = _field_of(c, lex)
                if other and other != fld and (other, victim_i) not in seen:
                    seen.add((other, victim_i))
                    figures.append(Figure(other, 0, 0, 0, count.text, start, end, count.reason))
    return figures


def weapon_quantity(tok: Token, lex: Lexicon | None = None) -> Count | None:
    """How many of a weapon a noun phrase states ("At least 14 rockets" → 14), or None."""
    lex = lex or load_lexicon()
    if not any(c.dep_ in ("nummod", "quantmod", "amod", "advmod") or c.like_num
               for c in tok.children):
        return None
    count = parse_count(_phrase_before(tok), lex)
    return count
