"""Find event triggers over the dependency parse, and drop what is not an event.

1. Match every token against the trigger lexicon (data/events/triggers.jsonl): verbs with
   their particle, preposition or object class ("handed over", "drove … from",
   "retook <territory>"), nouns ("air strike", "rocket attack", "clashes").
2. Reject what did not happen: modal, future and conditional clauses ("will crush"),
   threats and plans above the trigger ("vowed to retaliate", "aims to annihilate",
   "preparing for smaller battles"), infinitives of purpose ("to repel"), descriptive
   participles ("the coalition fighting Islamic State"), generic plurals ("attacks on U.S.
   bases"), and present-perfect totals with no day or week date ("has killed more than
   3,700 civilians").  Each rejection keeps its reason.
3. Mark, but keep, negated triggers: a negated event inside an attribution is a denial
   ("No member of the U.S.-led coalition carried out strikes near Albu Kamal").
4. Within a sentence, one happening is told once: a nominal trigger that is the object of
   a verb trigger ("thwarted a drone attack"), a verb whose subject is a nominal trigger
   ("the strike killed 22") and a casualty verb below another trigger ("…, wounding two")
   fold into the governing trigger.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span, Token

from .dates import DatedValue
from .lexicon import Lexicon, Trigger, load_lexicon
from .tree import antecedent, children, tree_distance


@dataclass
class Detection:
    """A trigger that passed the filters, before typing and arguments."""

    token: Token
    trigger: Trigger
    sentence: Span
    negated: bool = False
    anaphoric: bool = False
    reason: str = ""
    absorbed: list[Token] = field(default_factory=list)
    #: Fighting told in the present tense at a named town ("as forces engage in fighting
    #: to retake Mosul"): dated by the publication week (eval/ANNOTATION.md).
    ongoing: bool = False


@dataclass(frozen=True)
class Rejection:
    """A trigger word that was not coded as an event, and why."""

    token_i: int
    text: str
    reason: str
    #: The sub-type the trigger word would have given: a classifier reading the sentence
    #: as that sub-type reads the word the rules already turned down ("arrest warrant").
    sub_event_type: str | None = None


#: Reasons that concern the trigger word's own role in its sentence ("riot police", "youths
#: protesting the killing", "gathered to protest"), not whether the sentence tells a
#: happening: the sentence may still tell one with another verb.  Every other reason
#: (a threat, a plan, a modal, a history, a total) is the sentence's.
_WORD_ROLE_REASONS = ("adjectival participle", "descriptive participle",
                      "participle describing people", "modifier of another noun",
                      "generic plural", "cause in a description", "a weapon struck or found",
                      "not a happening", "infinitive of purpose or plan", "folded into",
                      "object of a trigger that is not an event")


def rules_out_sentence(rejection: Rejection) -> bool:
    """Whether a rejected trigger says its whole sentence tells no happening (a threat, a
    plan, a total), rather than only that the word itself is no trigger here."""
    return not rejection.reason.startswith(_WORD_ROLE_REASONS)


def _obj_tokens(tok: Token) -> list[Token]:
    """Objects of a trigger: direct object, passive subject, or 'of'/'for' object of a noun."""
    out = children(tok, "dobj", "nsubjpass", "attr", "oprd")
    if tok.pos_ == "VERB" and tok.tag_ in ("VBN", "VBD") and not out \
            and not children(tok, "aux", "auxpass", "xcomp", "ccomp"):
        # A note's "…, 2 ISIS suspects detained": the auxiliary left out, the counted
        # subject is who underwent it.
        out = [s for s in children(tok, "nsubj") if children(s, "nummod")]
    for o in list(out):  # "retook most of the district"
        for p in children(o, "prep"):
            if p.lower_ == "of":
                out += children(p, "pobj")
    if tok.pos_ == "NOUN":
        out += children(tok, "compound")
        for p in children(tok, "prep"):
            if p.lower_ in ("of", "for"):
                out += children(p, "pobj")
    for p in children(tok, "prep", "prt"):
        if p.lower_ in ("of",) and tok.pos_ == "VERB":
            out += children(p, "pobj")
    # "took control of", "took captive": the object may be an adjective or a conjunct.
    out += [c for o in list(out) for c in o.conjuncts]
    # "Raqqa, which it lost last month", "the city recaptured from Daesh", "terrain SDF had
    # liberated": in a relative clause the object is the noun the clause describes.
    if tok.dep_ in ("relcl", "acl") and tok.pos_ == "VERB":
        if any(o.tag_ in ("WDT", "WP") for o in out) or not out or tok.dep_ == "acl":
            out.append(antecedent(tok) if tok.dep_ == "relcl" else tok.head)
    return out


def _dates_only(prep: Token) -> bool:
    """A preposition that only dates ("pushed … in January"), not one that places."""
    objs = children(prep, "pobj")
    return bool(objs) and all(o.ent_type_ in ("DATE", "TIME") for o in objs)


def _matches(tok: Token, trig: Trigger, lex: Lexicon, places: set[int]) -> bool:
    if trig.pos == "VERB" and tok.pos_ != "VERB":
        return False
    if trig.pos == "NOUN" and tok.pos_ not in ("NOUN", "PROPN"):
        return False
    if tok.pos_ == "PROPN" and tok.ent_type_ == "DATE":
        return False  # the month "on March 3, 2016" is no protest march
    if tok.lemma_.lower() in lex.filters["light_verbs"] and any(
            lex.in_class(o.lemma_.lower(), "attack") or lex.in_class(o.lemma_.lower(), "operation")
            for o in _obj_tokens(tok)):
        return False  # "an operation executed by coalition forces": the noun is the event
    if tok.lemma_.lower() not in trig.lemmas and tok.lower_ not in trig.lemmas:
        return False
    if trig.id == GATHERING_DEMAND and not _gathered_demanding(tok, lex):
        return False
    if trig.id == DESTROY_VERB and not any(
            t.lemma_.lower() in lex.instrument_lemmas or t.lower_ in lex.instrument_lemmas
            for d in tok.children if d.dep_ in ("nsubj", "agent") for t in d.subtree):
        return False  # "Russian aircraft destroyed a depot"; not "troops destroyed a cache"
    if trig.id == SENT_TO_HELL and not any(
            o.lower_ == "hell" for p in children(tok, "prep") if p.lower_ == "to"
            for o in children(p, "pobj")):
        return False  # a military statement's killing: "four terrorists were sent to hell"
    if trig.id == MUNITION_FALL and not any(
            inst.munition and (s.lemma_.lower() in inst.lemmas or s.lower_.removesuffix("s")
                               in inst.lemmas)  # "Rockets landed", read as a name
            for s in tok.children if s.dep_ == "nsubj" for inst in lex.instruments):
        return False  # "two rockets fell near the embassy"; not "Mosul fell", "the plane landed"
    if trig.particle and not any(
        c.lower_ == trig.particle for c in tok.children if c.dep_ in ("prt", "advmod", "prep")
    ):
        return False
    if trig.preps and not any(
        c.lower_ in trig.preps and not _dates_only(c)
        for c in tok.children if c.dep_ in ("prep", "prt", "advmod")
    ) and not (tok.pos_ == "NOUN" and _prep_after_of_phrase(tok, trig.preps)):
        return False
    if trig.objects:
        objs = _obj_tokens(tok)
        if "territory" in trig.objects and any(o.lower_ == "it" for o in objs) and any(
                t.i in places or lex.in_class(t.lemma_, "territory")
                for t in tok.sent if t.i < tok.i):
            return True  # "clearing the district, after entering it": the ground named before
        ok = any(
            ((any(lex.in_class(o.lemma_, cls) or lex.in_class(o.lower_, cls) for cls in trig.objects)
              or "person" in trig.objects and _people_of(o))
             and not _bare_part(o) and not _prisoners_of_war(o, tok, lex))
            or ("territory" in trig.objects and (o.i in places or _named_ground(o, tok, places)))
            for o in objs
        )
        if not ok:
            return False
    return True


def _people_of(tok: Token) -> bool:
    """People named by their nation or creed, in the plural ("detained three Afghans"),
    or counted alone after a verb only people undergo: "arrested 12 wanted Palestinians",
    where the parser makes "12" the object and leaves the people aside."""
    return tok.ent_type_ == "NORP" and tok.tag_ in ("NNPS", "NNS") or tok.like_num \
        and tok.dep_ == "dobj" and tok.head.lemma_.lower() in ("arrest", "detain", "apprehend")


#: The trigger of a weapon that destroyed something: a strike told by its result.
DESTROY_VERB = "destroy-verb"
#: The trigger of a military statement's idiom for a killing.
SENT_TO_HELL = "sent-to-hell"
#: The trigger of a crowd that gathered to voice a demand.
GATHERING_DEMAND = "gathering-demand"
#: What a crowd does that makes its gathering a protest: "gathered … calling for the fall
#: of the government", "marched chanting slogans", "assembled carrying banners".
_DEMAND_VERBS = frozenset({"call", "demand", "chant", "denounce", "condemn", "protest",
                           "reject", "decry", "demonstrate", "shout", "voice", "urge"})
#: Verbs of bearing, a protest's only when what is borne is a protest's sign.
_BEARING_VERBS = frozenset({"carry", "wave", "hold", "raise", "brandish"})
_PROTEST_SIGNS = frozenset({"banner", "placard", "sign", "flag", "photo", "photograph",
                            "picture", "portrait", "poster", "candle", "slogan", "coffin"})


def headline_toll(tok: Token) -> bool:
    """Whether a participle on a counted noun that stands alone is a note's toll told in
    headline form ("Iraqi army: 4 ISIS terrorists killed in airstrike in Wadi al-Shay"):
    the count heads the clause (its root, or set after a source's colon), and the
    participle says where, how or by whom."""
    head = tok.head
    return tok.dep_ == "acl" and head.dep_ in ("ROOT", "appos") and any(
        c.dep_ == "nummod" for c in head.children) and bool(children(tok, "prep", "agent"))


def _gathered_demanding(tok: Token, lex: Lexicon) -> bool:
    """Whether people gathered, marched or rallied while voicing a demand or bearing its
    signs: the gathering itself is the protest (CB §Protests), told with no word of
    protest.  Troops who gather are no crowd."""
    if any(lex.in_class(s.lemma_, c) for s in tok.children if s.dep_ == "nsubj"
           for c in ("unit", "combatant", "police")):
        return False
    # The participle hangs on the verb, or, as the parser may read "in the main square
    # calling for …", on a phrase of it: either way no other verb comes between.
    # The tagger may read that participle as a noun ("calling"): its "-ing" says.
    # So does an infinitive of purpose: "marched through the streets to demand higher
    # pay" gathered for a demand.
    for c in tok.subtree:
        verb = c.lemma_.lower() if c.tag_ == "VBG" or (c.tag_ == "VB" and any(
            a.dep_ == "aux" and a.lower_ == "to" for a in c.children)) else (
            c.lower_[:-3] if c.tag_ == "NN" and c.lower_.endswith("ing") else None)
        if c == tok or verb is None or next(
                (a for a in c.ancestors if a.pos_ in ("VERB", "AUX")), None) != tok:
            continue
        if verb in _DEMAND_VERBS or verb in _BEARING_VERBS and any(
                o.lemma_.lower() in _PROTEST_SIGNS for o in c.children if o.dep_ == "dobj"):
            return True
    return False


#: The trigger of a suicide bomber, who may be stopped before the bombing.
SUICIDE_NOUN = "suicide-noun"
#: Verbs that stop a person before they act: killed, shot, arrested, caught.
_STOPPING_VERBS = frozenset({"kill", "shoot", "arrest", "capture", "detain", "catch",
                             "neutralise", "neutralize", "intercept", "apprehend"})
#: The trigger of munitions that fell somewhere: its subject must be one.
MUNITION_FALL = "munition-fall"
#: The trigger of a strike noun, which a stoppage of work also is.
_STRIKE_NOUN = "strike-noun"
#: Words that make a strike a stoppage of work: "a general strike", "a hunger strike",
#: "teachers went on strike", "staged a strike" (CB §Protests: a strike is a protest).
_STOPPAGE_MODIFIERS = frozenset({"general", "hunger", "labour", "labor", "nationwide",
                                 "national", "wildcat", "indefinite", "sit-down", "union",
                                 "teachers", "workers", "doctors", "transport", "strike"})
#: Verbs only a stoppage of work takes: one stages or observes a strike, never an air strike.
_STOPPAGE_VERBS = frozenset({"stage", "call", "observe", "join", "declare", "hold"})
#: Verbs either may take: a strike by workers or one by a force ("suspended strikes").
_STRIKE_SPAN_VERBS = frozenset({"end", "begin", "start", "continue", "suspend", "threaten"})


def _labour_strike(tok: Token, lex: Lexicon) -> bool:
    """Whether "strike" names a stoppage of work, not an attack: "went on strike", "a
    general strike", "dockworkers staged a strike", "a strike by teachers".  An air strike
    is launched, carried out or conducted, on or against something, by a force."""
    if tok.dep_ == "pobj" and tok.head.lower_ == "on" and tok.head.head.lemma_.lower() in (
            "go", "be", "remain", "stay"):
        return True  # "went on strike", "have been on strike"
    if any(c.dep_ in ("amod", "compound") and (c.lower_ in _STOPPAGE_MODIFIERS
                                               or lex.in_class(c.lemma_, "civilian"))
           for c in tok.children):
        return True
    doers = [p for prep in tok.children if prep.dep_ == "prep" and prep.lower_ == "by"
             for p in prep.children if p.dep_ == "pobj"]
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _STOPPAGE_VERBS:
        return True  # "dockworkers staged a strike", "the union called a strike"
    if tok.dep_ == "dobj" and tok.head.lemma_.lower() in _STRIKE_SPAN_VERBS:
        doers += [c for c in tok.head.children if c.dep_ == "nsubj"]
    return any(lex.in_class(d.lemma_, "civilian") or d.lemma_.lower().rstrip("s") in (
        "union", "worker", "dockworker", "employee", "staff") for d in doers)


def _named_ground(obj: Token, verb: Token, places: set[int]) -> bool:
    """A name the gazetteer lacks, taken "from" someone ("recaptured Kitshanga from M23"):
    ground, which a person or a body taken "from" someone would not be. Not a group driven
    "from" a place ("clearing Daesh from Iraq"), even one the model calls a place."""
    if obj.pos_ != "PROPN" or obj.ent_type_ in ("DATE", "TIME", "NORP", "MONEY", "CARDINAL",
                                                "ORG"):
        return False
    return any(
        p.lower_ == "from" and children(p, "pobj")
        and not any(o.i in places for o in children(p, "pobj")) for p in children(verb, "prep"))


def _bare_part(obj: Token) -> bool:
    """"took part in the war": the idiom of taking part, not ground taken ("took part of
    the city" names what part, with "of")."""
    return obj.lower_ == "part" and not any(
        c.dep_ in ("det", "amod", "nummod", "poss") or (c.dep_ == "prep" and c.lower_ == "of")
        for c in obj.children)


def _prisoners_of_war(obj: Token, verb: Token, lex: Lexicon) -> bool:
    """"took 256 insurgents prisoner", "was taken prisoner by Marines": fighters captured in
    battle are part of the fighting, not an abduction, which the codebook keeps for
    civilians; "took 20 villagers prisoner" stays one."""
    return obj.lemma_.lower() == "prisoner" and not any(
        lex.in_class(t.lemma_.lower(), "civilian") for t in verb.subtree)


def _governor(tok: Token) -> Token:
    """The verb that governs a nominal trigger (itself for verbs)."""
    cur = tok
    while cur.pos_ not in ("VERB", "AUX") and cur.dep_ not in ("ROOT",) and cur.head != cur:
        cur = cur.head
    return cur


def _present(tok: Token) -> bool:
    """A finite verb in the simple present ("is on the retreat", "deny targeting")."""
    return tok.tag_ in ("VBZ", "VBP") and not any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBD", "VBN") for c in tok.children)


#: Time clauses whose present tense speaks of the future ("after the city is recaptured");
#: "as" and "while" with a present tense speak of now ("as forces engage in fighting").
_FUTURE_MARKS = {"after", "once", "when", "until", "before"}

#: Walking up more than this many arcs leaves the trigger's sentence structure; no clause
#: in the seed corpus nests a trigger deeper below its reporting verb.
MAX_WALK = 8


#: Verbs of scattering a crowd, and the gatherings they scatter: a purpose to disperse
#: a march says the march took place.
DISPERSE_VERBS = frozenset({"disperse", "break", "scatter", "quell", "dispel", "clear"})
_GATHERINGS = frozenset({"protest", "demonstration", "rally", "sit-in", "march", "vigil",
                         "crowd", "gathering", "protester", "demonstrator", "marcher"})


def _context_reason(tok: Token, lex: Lexicon) -> str | None:
    """Walk up to the first reporting verb: a plan, threat, modal or condition on the way?"""
    f = lex.filters
    modal = set(f["modal_aux"])
    plan_verbs = set(f["plan_verbs"])
    plan_nouns = set(f["plan_nouns"])
    report_stop = set(f["report_stop"])
    aspect = set(f["aspect_verbs"])
    temporal = set(f["temporal_marks"])
    infinitive_only = set(f["infinitive_plan_verbs"])
    memorial = set(f["memorial_nouns"])
    cur: Token | None = tok
    below: Token = tok
    steps = 0
    while cur is not None and steps < MAX_WALK:
        lemma = cur.lemma_.lower()
        if cur != tok and cur.pos_ in ("VERB", "AUX") and lemma in report_stop:
            break
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in modal for c in cur.children):
            return f"modal or future ('{next(c.text for c in cur.children if c.lower_ in modal)}')"
        if any(c.dep_ == "mark" and c.lower_ in ("if", "unless") for c in cur.children):
            return "conditional clause"
        if cur != tok and cur.pos_ in ("VERB", "AUX") and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in cur.children) \
                and cur.head.lemma_.lower() not in aspect and not (
                    lemma in DISPERSE_VERBS and tok.lemma_.lower() in _GATHERINGS):
            # Not "fired tear gas to break up a peaceful march": the march was there.
            return f"inside an infinitive of purpose or plan ('to {cur.text}')"
        if cur.dep_ == "relcl" or (cur.dep_ == "acl" and cur.tag_ == "VBN"):
            break  # a relative clause tells a fact of its own: "terrain SDF had liberated"
        if any(c.dep_ == "aux" and c.lower_ == "having" for c in cur.children):
            break  # "having driven Daesh out of a base": done before whatever follows
        temporal_clause = cur.dep_ == "advcl" and any(
            c.dep_ == "mark" and c.lower_ in temporal for c in cur.children)
        temporal_phrase = cur.dep_ == "pobj" and cur.head.lower_ in temporal
        if temporal_clause or temporal_phrase:
            # "vowed to retaliate after strikes killed four": the after-clause happened …
            future_mark = any(c.dep_ == "mark" and c.lower_ in _FUTURE_MARKS
                              for c in cur.children)
            if temporal_clause and future_mark and (cur.tag_ in ("VBZ", "VBP") or any(
                    c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                    and c.lower_ not in ("has", "have") for c in cur.children)):
                return "present tense in a time clause: a future happening ('after … is over')"
            attach = cur.head if temporal_clause else cur.head.head
            if any(c.dep_ == "aux" and c.lower_ in modal for c in attach.children):
                return "time reference of a future happening ('would … after')"
            break  # … unless what it dates is itself future: "would head on after an exchange"
        if cur.dep_ == "conj" and cur.head.pos_ in ("VERB", "AUX") and children(cur, "dobj"):
            # "vowed to retaliate … [and] killed four": a coordinate clause is not governed
            # by its neighbour's plan, only by a modal they share.
            # A chain of coordinate verbs ("stopped a bus, checked cards and shot nine")
            # is climbed to its first verb: none of them governs another.
            while cur.dep_ == "conj" and cur.head.pos_ in ("VERB", "AUX"):
                head = cur.head
                if _crosses_paragraph(cur, head):
                    return None
                if any(c.dep_ == "aux" and c.lower_ in modal for c in head.children):
                    return "modal or future on the coordinated verb"
                cur = head
            if cur.head == cur:
                break
            below, cur = cur, cur.head
            steps += 1
            continue
        if cur != tok:
            # "set to attack" is a plan, "set fire to the town hall" an act: some plan
            # words speak of a plan only over an infinitive.
            plan_verb = lemma in plan_verbs and not (
                lemma in infinitive_only and below.dep_ != "xcomp")
            if cur.pos_ in ("VERB", "ADJ", "AUX") and plan_verb:
                return f"under a threat or plan ('{cur.text}')"
            if cur.pos_ == "NOUN" and lemma in plan_nouns and not (
                    lemma in CAMPAIGN_NOUNS and below == tok and headline(tok)):
                # Not "Arrest campaign by the Asayish in Raqqa": a note names a campaign
                # under way by the kind of its happening.
                return f"under a threat or plan ('{cur.text}')"
            if cur.pos_ == "NOUN" and lemma in memorial:
                return f"history remembered, not news ('{cur.text}')"
        if cur.head == cur or _crosses_paragraph(cur, cur.head):
            break
        below, cur = cur, cur.head
        steps += 1
    return None


def _crosses_paragraph(a: Token, b: Token) -> bool:
    """Whether an arc spans a paragraph break (the parser sometimes joins paragraphs)."""
    lo, hi = sorted((a.i, b.i))
    return any(t.is_space and "\n" in t.text for t in a.doc[lo:hi])


def present_clash(tok: Token, trig: Trigger) -> bool:
    """A clash verb in the present tense: simple ("as they assault") or progressive
    ("the SDF is fighting Daesh")."""
    if trig.pos != "VERB" or trig.rule != "fixed" or trig.sub_event_type != "Armed clash":
        return False
    if tok.tag_ in ("VBP", "VBZ") and not children(tok, "aux", "auxpass"):
        return True
    return tok.tag_ == "VBG" and any(c.dep_ == "aux" and c.lower_ in ("is", "are", "am", "'s", "'re")
                                     for c in tok.children)


def _ongoing_reason(tok: Token, lex: Lexicon, towns: set[int]) -> str | None:
    """Why present-tense fighting is not coded, or None when it is ongoing at a named town.

    eval/ANNOTATION.md: fighting reported in the present tense at a named town or city is
    one Armed clash of the publication week; fighting in an unnamed stretch ("on the
    eastern banks of the Euphrates") and habits ("they periodically attack") are not.
    """
    habit = set(lex.filters["habit_adverbs"])
    if any(c.dep_ in ("advmod", "npadvmod") and c.lower_ in habit for c in tok.children):
        return "present tense with an adverb of habit"
    if not any(t.i in towns for t in tok.subtree):
        return "present-tense fighting at no named town"
    return None


#: "over the past week", "in the last three days", "during the past month": a span of
#: time a figure or a happening is summed over (CB: one event per day and place). "Over the
#: past day" is one day's report, as daily military summaries are written: no total.
_PERIOD = re.compile(r"\b(?:over|in|during|throughout)\s+the\s+(?:past|last|previous)\s+"
                     r"(?:(?:\w+|\d+)\s+)?(?:days|weeks?|months?|years?)\b", re.I)


def _over_a_period(tok: Token) -> str | None:
    """The period phrase when the trigger's own clause sums over days or weeks ("its
    forces had neutralised 18 militants over the past week"), or None."""
    sent = tok.sent
    for hit in _PERIOD.finditer(sent.text):
        span = sent.doc.char_span(sent.start_char + hit.start(), sent.start_char + hit.end(),
                                  alignment_mode="expand")
        if span is None:
            continue
        # The phrase must hang on the trigger's verb, not on another clause's.
        anchor = tok if tok.pos_ in ("VERB", "AUX") else tok.head
        if any(t.head == anchor or t == anchor for t in span) or span.root.head == anchor:
            return hit.group(0)
    return None


#: Spans of time a fight lasted ("after weeks of fighting").
_SPELLS = frozenset({"hour", "day", "week", "month", "year"})


#: Nouns of what is said of a pattern of acts ("reports of the murder of hundreds").
_REPORT_NOUNS = frozenset({"report", "allegation", "account", "claim", "evidence", "rumour",
                           "rumor", "testimony"})


def _reported_pattern(tok: Token, dates: list[DatedValue], towns: set[int]) -> bool:
    """Whether a killing noun is what reports say, with no date or town in its sentence."""
    if not (tok.dep_ == "pobj" and tok.head.lower_ == "of"
            and tok.head.head.lemma_.lower() in _REPORT_NOUNS):
        return False
    sent = tok.sent
    return not any(t.i in towns for t in sent) and not any(
        sent.start_char <= d.start < sent.end_char for d in dates)


def _spell_of(tok: Token) -> bool:
    """Whether a plural trigger is what a spell of time was made of, with a side named:
    "sparking days of clashes with the SDF" tells clashes, not clashes in general."""
    spell = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    return spell is not None and spell.lemma_.lower() in _SPELLS and any(
        p.lower_ in ("with", "between", "against") for p in children(tok, "prep"))


def _after_a_spell(tok: Token) -> bool:
    """Whether a noun trigger is the matter of a vague spell after which something
    happened: "after weeks of fighting", "following months of siege".  A counted spell
    at a place ("after four more days of fighting in Husaybah") tells fighting there."""
    spell = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else None
    return spell is not None and spell.lemma_.lower() in _SPELLS and spell.dep_ == "pobj" \
        and spell.head.lower_ in ("after", "following") \
        and not any(c.dep_ == "nummod" for c in spell.children) \
        and not any(c.dep_ == "prep" for c in tok.children)


#: Nouns a verbless note heads with the kind of its happening ("Arrest campaign by the
#: Asayish in Raqqa", "Shelling operation on …").
CAMPAIGN_NOUNS = frozenset({"campaign", "wave", "operation", "spree", "raid"})
#: Tags of a finite verb: a sentence with none is a headline or a note's noun phrase.
_FINITE = frozenset({"VBD", "VBZ", "VBP", "MD"})


#: Verbs that state a gain in the present tense of news ("claims control of", "declares").
_CLAIMING = frozenset({"claim", "declare", "announce"})


def _note_in_present(tok: Token, towns: set[int]) -> bool:
    """Whether a one-sentence note tells its happening in the present, headline-style,
    at named towns ("Regime artillery targets Kafr Nabl and Hass in southern Idlib."): a
    note's only sentence is news, and a habit is rarely aimed at villages by name."""
    doc = tok.doc
    return tok.dep_ == "ROOT" and tok.sent.start == 0 and tok.sent.end >= len(doc) - 1 \
        and any(t.i in towns for c in tok.children if c.dep_ in ("dobj", "prep")
                for t in c.subtree)


def _claims_a_town(tok: Token, towns: set[int]) -> bool:
    """Whether a present-tense verb claims a named town ("the army now claims full
    control of Fallujah"): news told in the present, as a statement is, not a habit."""
    return tok.lemma_.lower() in _CLAIMING and any(t.i in towns for t in tok.subtree)


def _prep_after_of_phrase(noun: Token, preps: tuple[str, ...]) -> bool:
    """Whether one of ``preps`` follows the noun's "of" phrase, wherever the parser hung
    it ("the fall of Mosul to Daesh", "to" read as the sentence verb's)."""
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if of is None:
        return False
    after = of.right_edge.i + 1
    return after < len(noun.doc) and noun.doc[after].lower_ in preps


#: Triggers of an explosion, which may be an accident's rather than a weapon's.
_EXPLOSION_TRIGGERS = frozenset({"explode-verb", "explosion-noun"})


def _accident_source(tok: Token, lex: Lexicon, toll: bool = False) -> str | None:
    """What exploded when it is a household or plant fixture ("a gas cylinder exploded",
    "a boiler explosion", "the explosion of a transformer"): an accident, no attack.  With
    ``toll``, the trigger is a killing or wounding: what exploded is its subject ("a boiler
    explosion … killed three") or the verb it follows ("exploded …, injuring five")."""
    def fixture(t: Token) -> str | None:
        things = [c for c in t.children if c.dep_ in ("nsubj", "compound")]
        things += [p for c in t.children if c.dep_ == "prep" and c.lower_ == "of"
                   for p in c.children if p.dep_ == "pobj"]
        return next((x.text for x in things if lex.in_class(x.lemma_.lower(), "accident_source")),
                    None)

    if not toll:
        return fixture(tok)
    blasts = [c for c in tok.children if c.dep_ == "nsubj"
              and c.lemma_.lower() in ("explosion", "blast", "fire")]
    if tok.dep_ in ("advcl", "conj", "xcomp") and tok.head.lemma_.lower() == "explode":
        blasts.append(tok.head)
    return next((f for b in blasts if (f := fixture(b)) is not None), None)


def headline(tok: Token) -> bool:
    """Whether the trigger's sentence is a verbless note or headline ("Clashes between SDF
    and ISIS in Hajin.", "Regime shelling on Kafr Nabl."): such a phrase tells one
    happening, which a plural with no article or a participle in running prose would not."""
    sent = tok.sent
    return len(sent) <= 30 and not any(t.tag_ in _FINITE for t in sent)


def reject_reason(tok: Token, det_pos: str, lex: Lexicon, dates: list[DatedValue],
                   trig_rule: str = "", trig: Trigger | None = None,
                   towns: set[int] | None = None) -> str | None:
    """Why a matched trigger is not an event, or None when it is one."""
    f = lex.filters
    aspect = set(f["aspect_verbs"])
    if trig is not None and (trig.id in _EXPLOSION_TRIGGERS or trig_rule == "casualty") and (
            source := _accident_source(tok, lex, trig_rule == "casualty")) is not None:
        return f"an accident ('{source}' exploded), no one's act"
    if trig is not None and trig.id == _STRIKE_NOUN and _labour_strike(tok, lex):
        # CB §Protests: a strike counts only when a demonstration goes with it, and that
        # demonstration's own words ("marched", "rallied") are its trigger.
        return "a strike of work, no attack; no event without a demonstration (CB)"
    if (period := _over_a_period(tok)) is not None:
        return f"a total over a period ('{period}'), not one happening"
    if trig_rule == "casualty" and tok.pos_ == "NOUN" and _reported_pattern(tok, dates, towns or set()):
        # "I am appalled by reports of the murder of hundreds of people": killings told as
        # what reports say of a long rule, with no day or town of their own, are a
        # pattern, not one happening.
        return "killings reported as a pattern ('reports of …'), no day or town of their own"
    if _after_a_spell(tok):
        # "took control of the army's headquarters in Nyala after weeks of fighting":
        # what led to the event, over a spell no day of which is told.
        return "a spell before the event ('after weeks of …'), not one happening"
    if _under_without(tok):
        # "took over Lalibela without firing a shot", "marched without any incidents":
        # the word says what did not happen; the sentence may tell something else.
        return "not a happening ('without …')"
    if tok.dep_ in ("pobj", "pcomp") and tok.head.lower_ == "by" and tok.head.dep_ == "agent" \
            and tok.head.head.dep_ in ("acl", "amod") and not any(
                c.dep_ in ("det", "poss", "nummod") for c in tok.children):
        return "cause in a description ('people displaced by fighting')"
    if det_pos == "VERB":
        if tok.dep_ in ("amod", "compound"):
            return "adjectival participle, not a happening"
        if tok.tag_ == "VBG" and tok.dep_ in ("acl", "amod") and not (
                trig_rule == "protest" and (_placed_then(tok, dates) or _crowd_met(tok, lex))) \
                and not headline(tok):
            # Not "lawyers protesting outside the high court": people protesting at a
            # place (or on a day) are a protest that happened there.
            return "descriptive participle ('the coalition fighting Islamic State')"
        if trig is not None and present_clash(tok, trig):
            why = _ongoing_reason(tok, lex, towns or set())
            if why is not None:
                return why
        elif tok.tag_ in ("VBZ", "VBP") and not children(tok, "aux", "auxpass") \
                and tok.lower_ not in f["past_forms"] and not _headline_verb(tok) \
                and not _claims_a_town(tok, towns or set()) \
                and not _past_alike(tok, dates, f) and not _note_in_present(tok, towns or set()):
            # An irregular past the tagger misreads ("forces also retook a zone") is past.
            return "simple present: a habit or a general statement"
        if tok.dep_ == "advcl" and children(tok, "mark") and any(
                c.dep_ in ("aux", "auxpass") and c.tag_ in ("VBZ", "VBP")
                and c.lower_ not in ("has", "have") for c in tok.children):
            return "present tense in a subordinate clause: a future happening"
        if tok.tag_ == "VBG" and not children(tok, "aux") and tok.dep_ in (
                "xcomp", "pcomp", "ccomp", "advcl", "conj") and _present(tok.head):
            return "gerund under a present-tense verb: ongoing or habitual"
        if trig_rule == "casualty" and tok.dep_ in ("acl", "amod", "relcl") and tok.tag_ == "VBN" \
                and not children(tok, "aux", "auxpass") and not headline_toll(tok):
            # "those killed" describes; "during which six were killed" tells a happening.
            return "participle describing people ('those killed'), not a happening"
        if any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
            head = tok.head
            if head.lemma_.lower() in f["plan_verbs"] and head.pos_ in ("VERB", "AUX", "ADJ"):
                return f"under a threat or plan ('{head.text}')"  # "threatens to abduct"
            gathered = trig_rule == "protest" and head.tag_ == "VBD" and \
                head.lemma_.lower() in f["gathering_verbs"]
            # "began an offensive to capture the city": the aspect verb has an object of
            # its own, and the infinitive after it is that object's purpose.
            aimed = any(o.i < tok.i for o in children(head, "dobj"))
            if not (head.lemma_.lower() in aspect and head.pos_ in ("VERB", "AUX")
                    and not aimed) and not gathered:
                return f"infinitive of purpose or plan ('to {tok.text}')"
    else:
        if tok.dep_ in ("compound", "amod") and not (
                headline(tok) and tok.head.lemma_.lower() in CAMPAIGN_NOUNS):
            return "modifier of another noun ('battle zone', 'fighting positions')"
        if trig_rule == "instrument" and tok.dep_ in ("dobj", "nsubjpass", "conj") and \
                _governor(tok).lemma_.lower() in f["target_verbs"]:
            return f"a weapon struck or found ('{_governor(tok).text} … {tok.text}'), no attack"
        if trig is not None and trig.id == SUICIDE_NOUN and tok.dep_ in ("dobj", "nsubjpass") and \
                _governor(tok).lemma_.lower() in _STOPPING_VERBS:
            # "security forces killed three suicide bombers who tried to attack a
            # checkpoint": the bombers were stopped, their bombing never happened.
            return f"bombers stopped ('{_governor(tok).text} … {tok.text}'), no bombing"
        for c in tok.children:
            if c.dep_ == "amod" and c.lower_ in f["plan_adjectives"]:
                return f"not a happening ('{c.text} {tok.text}')"
        has_det = any(c.dep_ in ("det", "poss", "nummod") for c in tok.children)
        if tok.tag_ in ("NNS", "NNPS") and not has_det and not _has_own_date(tok, dates) \
                and not _negated(tok) and not headline(tok) and not _spell_of(tok) \
                and not _done_once(tok, dates, f):  # "No member … carried out strikes": a denial
            if not (tok.dep_ in ("nsubj", "nsubjpass") and tok.head.tag_ in ("VBD", "VBN")):
                return "generic plural, no determiner and no date"
    if tok.pos_ == "VERB" and tok.lemma_.lower() in f["movement_verbs"] and any(
            p.lower_ in ("towards", "toward") for p in children(tok, "prep")):
        return "movement towards a place, no contact ('advanced towards the positions')"
    if trig_rule in ("territory", "territory-loss") and _share_of_ground(tok):
        return "a share of ground over time ('lost 96 per cent of its territory'): a total"
    why = _context_reason(tok, lex)
    if why is not None:
        return why
    gov = _perfect_host(_governor(tok))
    # "We have supported the liberation of Tikrit", "has condemned the attack on the
    # mosque": one definite happening, the object of a stance, not a running total (a
    # light verb's object still counts: "has carried out the strikes").
    one_told = tok.pos_ == "NOUN" and tok.tag_ == "NN" and gov != tok and any(
        c.dep_ == "det" and c.lower_ == "the" for c in tok.children) and \
        gov.lemma_.lower() not in f["light_verbs"]
    if any(c.dep_ == "aux" and c.lower_ in ("has", "have", "'ve") for c in gov.children) \
            and not _has_day_date(gov, dates) and not one_told \
            and not _arrest_report(tok, trig, f) and not _one_thing_done(tok, f) \
            and not (trig_rule == "territory" and _town_taken(tok, towns or set())):
        return "present perfect with no day or week date: a running total or history"
    return None


#: Tokens at most of a headline: a longer line without a full stop is prose cut short.
_HEADLINE_TOKENS = 20


def _headline_verb(tok: Token) -> bool:
    """Whether ``tok`` is the main verb of a headline ("Bandits kidnap farmers in Katsina",
    "Mob torches homes after desecration rumours"): news headlines and feed titles tell
    what just happened in the simple present, with no full stop."""
    sent = tok.sent
    words = [t for t in sent if not t.is_space]
    if not words or len(words) > _HEADLINE_TOKENS or words[-1].text in (".", "!", "?", "…"):
        return False
    return tok.dep_ == "ROOT" or (tok.dep_ == "conj" and tok.head.dep_ == "ROOT")


def _town_taken(tok: Token, towns: set[int]) -> bool:
    """Whether a present-perfect taking names its one town ("reports that Daesh fighters
    have entered Ramadi"): news of the day, where a running total takes "areas" or "much
    of the province"."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
    objs += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("into", "of")
             for g in c.children if g.dep_ == "pobj"]
    return tok.pos_ == "VERB" and any(o.i in towns for o in objs)


def _one_thing_done(tok: Token, f: dict[str, Any]) -> bool:
    """Whether a present-perfect verb tells one new thing done ("militants have
    established a base in Kunar", "the army has built a new outpost near Atarib"): a
    singular object with "a" or "an" is one happening, news, unless a total marker ("so
    far", "since January") makes it a running count."""
    if tok.pos_ != "VERB":
        return False
    one = any(o.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                     for c in o.children)
              for o in children(tok, "dobj", "nsubjpass"))
    if not one:
        return False
    text = " " + " ".join(t.lower_ for t in tok.sent) + " "
    return not any(f" {m} " in text for m in f["total_markers"])


def _arrest_report(tok: Token, trig: Trigger | None, f: dict[str, Any]) -> bool:
    """"Police have arrested 14 youths": news of arrests is told in the present perfect,
    undated; only a total marker ("since January", "so far") makes it a running count."""
    if trig is None or trig.sub_event_type != "Arrests":
        return False
    text = " " + " ".join(t.lower_ for t in tok.sent) + " "
    return not any(f" {m} " in text for m in f["total_markers"])


def _perfect_host(tok: Token) -> Token:
    """The finite verb a gerund hangs from ("have made swift work of clearing pockets"):
    its tense is the gerund's."""
    cur = tok
    for _ in range(4):
        if cur.dep_ not in ("pcomp", "pobj", "prep", "dobj") or cur.head == cur:
            break
        if cur.dep_ == "prep" and cur.lower_ not in ("of", "in", "by"):
            break  # "have advanced since retaking Hawija": a time phrase has its own tense
        cur = cur.head
        if cur.pos_ in ("VERB", "AUX"):
            return cur
    return tok


def _share_of_ground(tok: Token) -> bool:
    """Whether a territory verb's object is a percentage ("96 per cent of the territory")."""
    for o in children(tok, "dobj", "nsubjpass"):
        words = [t.lower_ for t in o.subtree]
        if "%" in words or "percent" in words or any(
                a == "per" and b == "cent" for a, b in zip(words, words[1:], strict=False)):
            return True
    return False


def _has_own_date(tok: Token, dates: list[DatedValue]) -> bool:
    """Whether a date lies in the phrase of ``tok``, clauses describing its nouns aside."""
    if not dates:
        return False
    starts: set[int] = set()
    stack = [tok]
    while stack:
        t = stack.pop()
        starts.add(t.idx)
        stack.extend(c for c in t.children if c.dep_ not in ("relcl", "acl", "advcl", "ccomp"))
    doc = tok.doc
    for d in dates:
        span = doc.char_span(d.start, d.end, alignment_mode="expand")
        if span is not None and any(t.idx in starts for t in span):
            return True
    return False


def _under_without(tok: Token) -> bool:
    """Whether the trigger sits in a "without" phrase, within two arcs of it."""
    for t in (tok.head, tok.head.head):
        if t.lower_ == "without" and t.dep_ in ("prep", "mark", "advmod"):
            return True
        if t.pos_ in ("VERB", "AUX") and t != tok.head:
            break
    return False


def _placed_then(tok: Token, dates: list[DatedValue]) -> bool:
    """Whether a participle carries its own place phrase or its own day."""
    return _has_day_date(tok, dates) or any(
        p.lower_ in ("outside", "in", "at", "near", "before", "inside") and children(p, "pobj")
        for p in children(tok, "prep"))


def _done_once(tok: Token, dates: list[DatedValue], f: dict[str, Any]) -> bool:
    """Strikes "carried out" on a day: a plural object of a light verb in the simple past,
    dated where it is told ("On 8 May, warplanes carried out airstrikes on Khan Shaykhun"),
    is one happening, not a habit ("the air force uses airstrikes")."""
    verb = tok.head
    if not (tok.dep_ == "dobj" and verb.tag_ == "VBD" and verb.lemma_.lower() in f["light_verbs"]):
        return False
    return _has_day_date(verb, dates) or _aimed_once(tok, verb, dates)


#: Prepositions that open a span of time: "carried out raids for years", "since 2014".
_SPAN_PREPS = frozenset({"for", "since", "throughout", "during", "over"})


def _aimed_once(tok: Token, verb: Token, dates: list[DatedValue]) -> bool:
    """Strikes carried out on a named target, with no span of time told: "Russian warplanes
    carried out airstrikes on the surroundings of Al-Bara" is one raid on one place, as an
    event note tells it; "carried out airstrikes on IS for years" or "in 2015" is a history."""
    preps = (*children(verb, "prep"), *children(tok, "prep"))
    if not any(p.lower_ in ("on", "against") and children(p, "pobj") for p in preps):
        return False
    if any(p.lower_ in _SPAN_PREPS for p in preps):
        return False
    sent = verb.sent
    return not any(sent.start_char <= d.start < sent.end_char and d.precision not in ("day", "week")
                   for d in dates)


def _crowd_met(tok: Token, lex: Lexicon) -> bool:
    """People protesting whom force met: "people protesting against fuel prices were
    dispersed by riot police", "police fired on students protesting …".  The crowd was
    there, protesting, when it was dispersed, so the protest took place."""
    noun = tok.head
    while noun.dep_ == "pobj" and noun.head.lower_ == "of":
        noun = noun.head.head  # "hundreds of people protesting"
    verb = noun.head.head if noun.dep_ == "pobj" else noun.head
    if noun.dep_ not in ("nsubjpass", "dobj", "pobj") or verb.pos_ != "VERB":
        return False
    return any(lex.in_class(verb.lemma_.lower(), c)
               for c in ("protest_intervention", "protest_force"))


def _past_alike(tok: Token, dates: list[DatedValue], f: dict[str, Any]) -> bool:
    """A verb whose past is spelt as its present ("set", "hit", "put"), read as a present
    by the tagger: past when the sentence dates it to a day ("set fire to a polling
    station on Monday") or a past-tense report tells it ("gunmen hit a convoy, police
    said"), where a habit would need a present report."""
    if tok.tag_ != "VBP" or tok.lower_ not in f["same_form_past"]:
        return False
    if _has_day_date(tok, dates):
        return True
    head = tok.head
    if tok.dep_ == "ccomp" and head.tag_ == "VBD" and head.lemma_.lower() in f["report_stop"]:
        return True
    return _one_target(tok, f)


def _one_target(tok: Token, f: dict[str, Any]) -> bool:
    """"Villagers set fire to a police station in Oromia": a habit has a kind of thing for
    its object ("set fire to fields every spring"), one happening a single thing, so a
    lone "a station" with no habit word in the sentence tells the past."""
    if any(t.lower_ in f["habit_adverbs"] or t.lower_ == "every" for t in tok.sent):
        return False
    objs = [c for c in tok.children if c.dep_ == "dobj"]
    objs += [g for c in tok.children if c.dep_ == "prep" and c.lower_ in ("to", "on", "at")
             for g in c.children if g.dep_ == "pobj"]
    objs += [g for o in list(objs) if o.lower_ == "fire" for c in o.children
             if c.dep_ == "prep" and c.lower_ == "to" for g in c.children if g.dep_ == "pobj"]
    return any(o.tag_ == "NN" and any(c.dep_ == "det" and c.lower_ in ("a", "an")
                                      for c in o.children) for o in objs)


def _has_day_date(tok: Token, dates: list[DatedValue]) -> bool:
    sent = tok.sent
    for d in dates:
        if sent.start_char <= d.start < sent.end_char and d.precision in ("day", "week"):
            span = tok.doc.char_span(d.start, d.end, alignment_mode="expand")
            if span is not None and tree_distance(span.root, tok) <= 3:
                return True
    return False


def _negated(tok: Token) -> bool:
    """Negation on the trigger, on its governing verb, or 'no' on the subject."""
    heads = [tok]
    if tok.pos_ == "NOUN" and tok.dep_ in ("dobj", "attr"):
        heads.append(tok.head)  # "No member … carried out strikes"; not "no damage was done by"
    for t in heads:
        if any(c.dep_ == "neg" for c in t.children):
            return True
        for s in children(t, "nsubj", "nsubjpass"):
            if s != tok and any(c.dep_ == "det" and c.lower_ == "no" for c in s.children):
                return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children)


def _describes_patient(tok: Token) -> bool:
    """A relative clause about the thing hit: "the base that was hit", "the base hit by"."""
    if tok.dep_ == "acl" and tok.tag_ == "VBN":
        return True
    if tok.dep_ != "relcl":
        return False
    return any(c.dep_ in ("nsubjpass", "dobj") and c.tag_ in ("WDT", "WP") for c in tok.children)


_ANAPHORIC_DETS = {"the", "this", "that", "these", "those", "its", "their"}


def detect(doc: Doc, dates: list[DatedValue], place_tokens: set[int] | None = None,
           lex: Lexicon | None = None, town_tokens: set[int] | None = None
           ) -> tuple[list[Detection], list[Rejection]]:
    """Every event trigger in ``doc`` that passed the filters, and every rejection.

    ``town_tokens`` are the root tokens of places named down to a town, base or field
    (present-tense fighting is coded only there); by default every place token.
    """
    lex = lex or load_lexicon()
    places = place_tokens or set()
    towns = places if town_tokens is None else town_tokens
    found: list[Detection] = []
    rejected: list[Rejection] = []
    rejected_verbs: set[int] = set()
    by_word = lex.triggers_by_word
    for sent in doc.sents:
        here: list[Detection] = []
        for tok in sent:
            listed = sorted({*by_word.get(tok.lemma_.lower(), ()), *by_word.get(tok.lower_, ())})
            trig = next((lex.triggers[n] for n in listed
                         if _matches(tok, lex.triggers[n], lex, places)), None)
            if trig is None:
                continue
            why = reject_reason(tok, trig.pos, lex, dates, trig.rule, trig, towns)
            if why is None and trig.pos == "NOUN" and _section_heading(tok):
                why = "a section heading: the happenings are told under it"
            if why is None and trig.pos == "NOUN" and _defined(tok, lex):
                why = "a word defined ('define a strike as …'), not a happening"
            if why is None and trig.pos == "NOUN":
                gov = tok.head.head if tok.dep_ == "pobj" else tok.head
                if gov.i in rejected_verbs and tok.dep_ in ("dobj", "pobj", "nsubjpass"):
                    why = "object of a trigger that is not an event"
            if why is not None:
                rejected.append(Rejection(tok.i, tok.text, why, trig.sub_event_type))
                if trig.pos == "VERB":
                    rejected_verbs.add(tok.i)
                continue
            det = Detection(tok, trig, sent, negated=_negated(tok),
                            ongoing=present_clash(tok, trig))
            if trig.pos == "NOUN":
                dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss")}
                # "the agreement between Baghdad and Erbil" names its parties: told, not
                # referred back to.
                parties = any(p.lower_ == "between" for p in children(tok, "prep"))
                det.anaphoric = bool(dets & _ANAPHORIC_DETS) and not _has_own_date(tok, dates) \
                    and not parties
            elif _describes_patient(tok) and any(
                    c.dep_ == "det" and c.lower_ in _ANAPHORIC_DETS for c in tok.head.children):
                det.anaphoric = True  # "the base that was hit": told before
            here.append(det)
        found.extend(_fold(here, rejected, dates))
    return found, rejected


def _defined(tok: Token, lex: Lexicon) -> bool:
    """Whether the noun is what a verb of defining explains: "officials define a strike as
    one or more kinetic engagements", "attacks counted as terrorism"."""
    verb = tok.head
    if tok.dep_ not in ("dobj", "nsubjpass") or verb.lemma_.lower() not in \
            lex.filters["definition_verbs"]:
        return False
    if any(c.dep_ in ("det", "poss") and c.lower_ not in ("a", "an") for c in tok.children):
        return False  # "described the clash as skirmishes": the event told, then named
    return any(c.dep_ == "prep" and c.lower_ == "as" for c in (*verb.children, *tok.children))


#: Words at most of a section heading ("Strikes in Syria", "Clashes in northern Hama").
_HEADING_WORDS = 6


def _section_heading(tok: Token) -> bool:
    """Whether ``tok`` heads a verbless section title of a longer text ("Strikes in
    Syria" over a strike report's list, "Clashes in Hama" over its paragraphs): a bare
    plural with no stop, whose word the text goes on to tell happening under it. A
    one-line note keeps its noun: there is nothing under it."""
    sent = tok.sent
    words = [t for t in sent if not (t.is_space or t.is_punct)]
    if len(words) > _HEADING_WORDS or tok.tag_ != "NNS" or sent[-1].text in (".", "!", "?") \
            or any(t.pos_ in ("VERB", "AUX") for t in sent) \
            or any(c.dep_ in ("det", "nummod", "poss", "amod") for c in tok.children):
        return False
    after = tok.doc[sent.end:]
    lemma = tok.lemma_.lower()
    return sum(1 for t in after if t.lemma_.lower() == lemma) >= 2


def _fold(dets: list[Detection], rejected: list[Rejection],
          dates: list[DatedValue] | None = None) -> list[Detection]:
    """One happening per trigger group in a sentence (step 4 of the module docstring)."""
    by_i = {d.token.i: d for d in dets}
    dropped: set[int] = set()
    for d in dets:
        tok = d.token
        # A noun trigger that is the object of a verb trigger folds into the verb.
        if d.trigger.pos == "NOUN":
            # Four arcs reach "struck forces with air and artillery fire" (fire→air→with→forces).
            up = [a for a in list(tok.ancestors)[:4] if a.i in by_i and a.i not in dropped
                  and by_i[a.i].trigger.rule != "casualty"]
            if up and not _has_own_date(tok, []) and (
                    by_i[up[0].i].trigger.pos == "NOUN" or tok.dep_ in ("conj", "pobj")):
                dropped.add(tok.i)  # "with air and artillery fire", "hostilities with … fire"
                by_i[up[0].i].absorbed.extend([tok, *d.absorbed])
                continue
            head = tok.head.head if tok.dep_ == "pobj" else tok.head
            if tok.dep_ in ("dobj", "nsubjpass", "pobj") and head.i in by_i and head.i != tok.i \
                    and by_i[head.i].trigger.pos == "VERB" and by_i[head.i].trigger.rule != "casualty":
                dropped.add(tok.i)
                by_i[head.i].absorbed.extend([tok, *d.absorbed])
                continue
        if d.trigger.pos == "VERB" and d.trigger.rule == "fixed" \
                and d.trigger.sub_event_type == "Armed clash":
            # "stormed and took the base": CB ranks the capture above the fight of the same
            # actors, place and day, and gives the territory code to the capture alone.
            taken = next((o for o in dets if o.token in tok.conjuncts
                          and o.token.i not in dropped and o.trigger.rule == "territory"), None)
            if taken is not None:
                dropped.add(tok.i)
                taken.absorbed.extend([tok, *d.absorbed])
                continue
        if d.trigger.pos == "VERB" and d.trigger.rule == "casualty":
            # "two fighters were killed in a raid", "died during the bombardment": the noun
            # names the happening, the killing counts it.
            verbs = [tok, *(c for c in children(tok, "conj") if c.pos_ == "VERB")]
            within = [n for v in verbs for p in children(v, "prep") if p.lower_ in ("in", "during")
                      for n in children(p, "pobj") if n.i in by_i and n.i not in dropped
                      and by_i[n.i].trigger.pos == "NOUN"]
            if within:
                dropped.add(tok.i)
                by_i[within[0].i].absorbed.extend([tok, *d.absorbed])
                continue
        if d.trigger.pos == "VERB":
            # "a strike engaged an ISIS unit": the noun names the happening, the verb tells
            # what it did (any subject: the parser may give the verb two, "Near X, a strike").
            noun_subj = next((s for s in children(tok, "nsubj") if s.i in by_i
                              and by_i[s.i].trigger.pos == "NOUN" and s.i not in dropped), None)
            if noun_subj is not None:
                dropped.add(tok.i)
                by_i[noun_subj.i].absorbed.extend([tok, *d.absorbed])
                continue
            # A casualty or attack verb hanging under another trigger tells the same event.
            own_clause = bool(children(tok, "nsubj", "nsubjpass", "mark"))
            # "began departing an air base …, handing it over": two verbs of one clause
            # head, one happening.
            sibling = next((o for o in dets if o is not d and o.token.i not in dropped
                            and o.trigger.pos == "VERB" and o.token.i < tok.i
                            and o.token.head == tok.head and tok.head != tok
                            and o.trigger.sub_event_type == d.trigger.sub_event_type
                            and o.trigger.rule == d.trigger.rule), None)
            if sibling is not None and not own_clause:
                dropped.add(tok.i)
                sibling.absorbed.extend([tok, *d.absorbed])
                continue
            # "clearing the district on Wednesday, after entering it on Tuesday": a verb
            # with its own date tells its own day.
            own_clause = own_clause or (d.trigger.rule != "casualty"
                                        and _has_own_date(tok, dates or []))
            if not own_clause and (tok.dep_ in ("advcl", "xcomp", "pcomp")
                                   or d.trigger.rule == "casualty"):
                for anc in tok.ancestors:
                    if anc.i in by_i and anc.i not in dropped and (
                            by_i[anc.i].trigger.rule != "casualty"):
                        dropped.add(tok.i)
                        by_i[anc.i].absorbed.extend([tok, *d.absorbed])
                        break
    for i in dropped:
        rejected.append(Rejection(i, by_i[i].token.text, "folded into the governing trigger"))
    return [d for d in dets if d.token.i not in dropped]
