"""Pages of API lists: `limit` and `offset`, bounded so that no number reaches the database
as one it cannot take."""

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    default_limit = 100
    max_limit = 1000

    def _number(self, request, name: str) -> int | None:
        value = request.query_params.get(name)
        if value is None:
            return None
        if not value.isascii() or not value.isdigit():
            raise ValidationError({name: ["A whole number, 0 or more."]})
        return int(value)

    def get_limit(self, request):
        limit = self._number(request, self.limit_query_param)
        if limit is None or limit == 0:
            return self.default_limit
        return min(limit, self.max_limit)

    def get_offset(self, request):
        # Past the end is an empty page, however far past (PostgreSQL refuses an OFFSET beyond
        # a 64-bit integer).
        offset = self._number(request, self.offset_query_param) or 0
        return min(offset, getattr(self, "count", 0))

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 0
            if parameter["name"] == self.limit_query_param:
                parameter["description"] = (
                    f"Rows per page, at most {self.max_limit} (default {self.default_limit})."
                )
        return parameters
