"""Review assistant for 民主生活会 self-inspection materials."""
from .errors import ReviewError

__all__ = ["ReviewError", "review_document"]


def review_document(*args, **kw):
    """See review.pipeline.review_document (imported lazily: spaCy loads on first use)."""
    from .pipeline import review_document as _rd
    return _rd(*args, **kw)
