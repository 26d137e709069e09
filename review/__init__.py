"""Review assistant for 民主生活会 self-inspection materials."""
from .errors import ReviewError

__all__ = ["ReviewError", "review_document"]


def review_document(*args, **kw):
    """See review.api.review_document (imported on first use: the CLI's --help stays fast)."""
    from .api import review_document as _rd
    return _rd(*args, **kw)
