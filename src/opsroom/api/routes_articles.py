"""``/articles``: stored articles, their text, entities and stated relations."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ..store import ArticleFilter, Store
from .auth import require_reader
from .deps import get_store, page_window
from .params import ID_PATTERN, MAX_PER_PAGE, Page, Since, Text, Until, check_window
from .schemas import ArticleDetail, ArticleOut, ArticlePage, EntityOut, RelationOut

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
