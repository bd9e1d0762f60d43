"""``/articles``: stored articles, their text, entities and stated relations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ..store import ArticleFilter, Store
from ..store.query import ViewEvent, get_view_event
from ..store.views import article_texts
from .auth import require_reader
from .convert import event_out
from .deps import get_store, page_window
from .params import ID_PATTERN, MAX_PER_PAGE, Page, Since, Text, Until, check_window
from .schemas import (
    ArticleDetail,
    ArticleOut,
    ArticlePage,
    EntityOut,
    EventOut,
    RelationOut,
)

router = APIRouter(tags=["articles"], dependencies=[Depends(require_reader)])


@router.get("/articles", response_model=ArticlePage)
def list_articles(
    store: Annotated[Store, Depends(get_store)],
    since: Since = None,
    until: Until = None,
    source: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    q: Text = None,
    page: Page = 1,
    per_page: Annotated[int, Query(ge=1, le=MAX_PER_PAGE)] = 50,
) -> ArticlePage:
    """Articles, newest first; ``q`` matches words of the title or text."""
    check_window(since, until)
    limit, offset = page_window(page, per_page)
    rows, total = store.list_articles(ArticleFilter(since=since, until=until, source=source,
                                                    text=q, limit=limit, offset=offset))
    return ArticlePage(items=[ArticleOut(**a.to_json()) for a in rows], total=total,
                       page=page, per_page=per_page)


@router.get("/articles/{article_id}", response_model=ArticleDetail)
def get_article(
    store: Annotated[Store, Depends(get_store)],
    article_id: Annotated[str, Path(pattern=ID_PATTERN)],
) -> ArticleDetail:
    """One article with its text, captions, entities, stated relations and event ids."""
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    entities = [EntityOut(**{k: v for k, v in e.to_json().items() if k in EntityOut.model_fields})
                for e in store.entities_of(article.id)]
    relations = [RelationOut(subject=r.subject, predicate=r.predicate, object=r.object,
                             sentence=r.sentence, start=r.start, end=r.end,
                             article_id=r.article_id, article_title=article.title)
                 for r in store.relations_of(article.id)]
    events = store.events_of(article.id)
    return ArticleDetail(**article.to_json(), text=article.text, entities=entities,
                         relations=relations, event_ids=[e.event_id for e in events],
                         n_events=len(events))


@router.get("/articles/{article_id}/events", response_model=list[EventOut])
def get_article_events(
    store: Annotated[Store, Depends(get_store)],
    article_id: Annotated[str, Path(pattern=ID_PATTERN)],
) -> list[EventOut]:
    """The served events an article tells, in the order it tells them: each merged event
    once, with all its sources (this article's carry offsets into its text), so a reader
    can mark every sentence behind an event and follow it to the event."""
    article = store.get_article(article_id)
    if article is None:
        raise HTTPException(404, f"no article with id {article_id!r}")
    served: dict[str, ViewEvent] = {}
    for own in store.events_of(article.id):
        # A store never merged serves each article's own events.
        item = get_view_event(store, own.event_id) or ViewEvent(own, merged=False, n_articles=1)
        served.setdefault(item.event.event_id, item)

    def told_at(item: ViewEvent) -> int:
        here = [s.start for s in item.event.sources if s.article_id == article.id]
        return min(here, default=len(article.text))

    items = sorted(served.values(), key=lambda it: (told_at(it), it.event.event_id))
    titles = article_texts(store, {s.article_id for it in items for s in it.event.sources},
                           text=False)
    return [event_out(it, titles) for it in items]
