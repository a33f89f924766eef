import django_filters

from yhdyspinta.registry.models import Organisation, Region

# An empty parameter (`?kind=`) filters nothing, as if it were left out; the schema says so by
# listing the empty value among the choices.
ANY = ("", "any")


class OrganisationFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=[ANY, *Organisation.Kind.choices])
    area = django_filters.ModelChoiceFilter(
        field_name="area",
        to_field_name="code",
        queryset=Organisation.objects.areas(),
        help_text="Area code: 01-21 for the wellbeing services counties, 90 for Helsinki.",
    )
    region = django_filters.ModelChoiceFilter(
        field_name="region",
        to_field_name="code",
        queryset=Region.objects.all(),
        help_text="Region code of the Statistics Finland classification (01-19, 21).",
    )
    q = django_filters.CharFilter(method="search", help_text="Name in any language, or code.")
    active = django_filters.ChoiceFilter(
        choices=[ANY, ("true", "true"), ("false", "false")],
        method="filter_active",
        help_text="true (the default): only organisations that exist today; false: all.",
    )

    class Meta:
        model = Organisation
        fields = ["kind", "area", "region", "q", "active"]

    def search(self, queryset, name, value):
        return queryset.search(value)

    def filter_active(self, queryset, name, value):
        return queryset.active() if value == "true" else queryset
