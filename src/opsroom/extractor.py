"""The analysis step: from an article to its document (entities, relations, events).

``Extractor`` runs in the calling process or, the same class, on each Dask worker
(``parallel``); ``pipeline`` chooses where.  It sits below both, so neither imports the
other back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from .config import Settings
from .errors import ArticleFailed, InputError, OpsroomError, unexpected
from .knowledge import Knowledge
from .models import Article, Document

if TYPE_CHECKING:
    from spacy.tokens import Doc as SpacyDoc


log = logging.getLogger(__name__)


class Extractor:
    """Runs the analysis stages over articles: one spaCy pass each, then the resolvers.

    Knowledge (actors, gazetteer) and the model load once, on first use, and serve every
    article after.  An article whose parse or analysis raises is that article's failure
    (``ArticleFailed``, to ``on_error``; raised when there is none); a knowledge or model
    error stops the run, since every article would meet it.
    """

    def __init__(self, settings: Settings,
                 on_error: Callable[[InputError], None] | None = None,
                 knowledge: Knowledge | None = None) -> None:
        self.settings = settings
        self.on_error = on_error
        self.knowledge = knowledge if knowledge is not None else Knowledge.from_settings(settings)
        self._stages: tuple[Any, ...] | None = None

    def _load(self) -> tuple[Any, ...]:
        if self._stages is None:
            from .events import extract_events
            from .geo import PlaceResolver
            from .resolve import ActorResolver, EntityFinder

            places = PlaceResolver(self.knowledge.gazetteer)
            finder = EntityFinder(ActorResolver.shared(self.knowledge.actors), places)
            self._stages = (finder, places, extract_events)
        return self._stages

    def analyse(self, article: Article, doc: SpacyDoc) -> Document:
        """Entities, relations and events of one parsed article, and the entities of its captions."""
        from .nlp import parse_many

        finder, places, extract_events = self._load()
        entities, relations = finder.find(doc, article)
        events = extract_events(doc, article, entities, lex=self.knowledge.lexicon,
                                dateline=places.dateline_site(article))
        for i, caption_doc in enumerate(parse_many(article.captions)):
            entities.extend(finder.find_in_part(caption_doc, article, "caption", i))
        return Document(article=article, entities=entities, events=events, relations=relations)

    def documents(self, articles: Iterable[Article | Document]) -> Iterator[Document]:
        """Documents in input order, parsed in batches with ``nlp.pipe``.

        A ``Document`` given (a re-imported export) passes through unchanged.
        """
        return delivered(self.results(articles), self.on_error)

    def results(self, articles: Iterable[Article | Document]) -> Iterator[Document | ArticleFailed]:
        """Each article's document, or its failure, in input order."""
        for batch in batched(articles, self.settings.batch_size):
            todo = [a for a in batch if isinstance(a, Article)]
            if todo:  # knowledge and model load only when there is text to analyse
                self._load()
            parsed = iter(self._parse(todo))
            for item in batch:
                if isinstance(item, Document):
                    yield item
                    continue
                doc = next(parsed)
                if isinstance(doc, ArticleFailed):
                    yield doc
                    continue
                try:
                    yield self.analyse(item, doc)
                except OpsroomError as exc:
                    if not isinstance(exc, InputError):
                        raise  # knowledge or model: every article would fail the same way
                    yield ArticleFailed(item.origin, exc.problem, item.id)
                except Exception as exc:  # noqa: BLE001 - one article's failure, not the batch's
                    log.debug("analysing %s failed", item.origin, exc_info=True)
                    yield _failed(item, "analysis", exc)

    @staticmethod
    def _parse(todo: list[Article]) -> list[SpacyDoc | ArticleFailed]:
        """The spaCy docs of a batch; when the batch breaks, each article is parsed alone
        so that only the one that breaks it fails."""
        from .nlp import parse, parse_many

        if not todo:
            return []
        try:
            return list(parse_many([a.text for a in todo]))
        except OpsroomError:
            raise  # the model cannot load: no article can be parsed
        except Exception:  # noqa: BLE001 - found below, article by article
            log.debug("parsing a batch failed; parsing its articles one by one", exc_info=True)
        out: list[SpacyDoc | ArticleFailed] = []
        for article in todo:
            try:
                out.append(parse(article.text))
            except OpsroomError:
                raise
            except Exception as exc:  # noqa: BLE001
                out.append(_failed(article, "parsing", exc))
        return out


def delivered(results: Iterable[Document | ArticleFailed],
              on_error: Callable[[InputError], None] | None) -> Iterator[Document]:
    """The documents of ``results``; each failure goes to ``on_error`` (raised when there
    is none).  Shared by the in-process and the Dask analysis."""
    for result in results:
        if isinstance(result, InputError):
            if on_error is None:
                raise result
            on_error(result)
        else:
            yield result


def _failed(article: Article, stage: str, exc: BaseException) -> ArticleFailed:
    err = unexpected(article.origin, stage, exc)
    return ArticleFailed(err.origin, err.problem, article.id)


def batched(items: Iterable[Article | Document], size: int) -> Iterator[list[Article | Document]]:
    """Items in lists of ``size`` (the last may be shorter), so spaCy's ``pipe`` gets
    ``batch_size`` texts at a time without reading the whole input first."""
    batch: list[Article | Document] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch
