"""Pages of API lists: `limit` and `offset`, bounded so that no number reaches the database
as one it cannot take."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000

    def get_offset(self, request):
        # Past the end is an empty page, however far past (PostgreSQL refuses an OFFSET beyond
        # a 64-bit integer).
        return min(super().get_offset(request), getattr(self, "count", 0))
