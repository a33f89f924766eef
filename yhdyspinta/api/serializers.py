from rest_framework import serializers

from yhdyspinta.accounts.models import Membership
from yhdyspinta.registry.models import Organisation, Region


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", "name_fi", "name_sv", "name_en"]


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "kind", "code", "name"]


class OrganisationSerializer(serializers.ModelSerializer):
    area = OrganisationRefSerializer(read_only=True)
    region = RegionSerializer(read_only=True)
    successor = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "kind",
            "code",
            "business_id",
            "name",
            "name_fi",
            "name_sv",
            "name_en",
            "short_name",
            "area",
            "region",
            "population",
            "website",
            "contact_email",
            "description_fi",
            "description_sv",
            "description_en",
            "source",
            "ended_on",
            "successor",
        ]
        read_only_fields = fields


class OrganisationDetailsInputSerializer(serializers.Serializer):
    """What an organisation's editors may change through the API."""

    description_fi = serializers.CharField(required=False, allow_blank=True)
    description_sv = serializers.CharField(required=False, allow_blank=True)
    description_en = serializers.CharField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)
    contact_email = serializers.EmailField(required=False, allow_blank=True)


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    title = serializers.CharField(source="user.title")

    class Meta:
        model = Membership
        fields = ["name", "email", "title", "position", "role"]
