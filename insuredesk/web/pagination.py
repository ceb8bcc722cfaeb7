"""Paginated lists with bounded `limit` and `offset`.

ninja's LimitOffsetPagination accepts any non-negative integer, and an offset or limit past
64 bits reaches the database as an overflow (a 500). These bounds turn it into a 422 naming the
field. Use it as `@paginate(Paginated)`.
"""

from ninja import Field, Schema
from ninja.conf import settings as ninja_settings
from ninja.pagination import LimitOffsetPagination

MAX_LIMIT = 1000
MAX_OFFSET = 1_000_000_000


class Paginated(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(ninja_settings.PAGINATION_PER_PAGE, ge=1, le=MAX_LIMIT)
        offset: int = Field(0, ge=0, le=MAX_OFFSET)

    def __init__(self, **kwargs) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
