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
    area = OrganisationRefSerializer(read_only=True, allow_null=True)
    region = RegionSerializer(read_only=True, allow_null=True)
    successor = OrganisationRefSerializer(read_only=True, allow_null=True)
    # Plain strings: empty where the registry has none, which a `uri` or `email` format
    # would not allow.
    website = serializers.CharField(read_only=True, help_text="An address (URL), or empty.")
    contact_email = serializers.CharField(read_only=True, help_text="An e-mail address, or empty.")

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

    # The bounds are the model's, so that too long a value is a 400, not a database error.
    description_fi = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    description_sv = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    description_en = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    website = serializers.URLField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.EmailField(required=False, allow_blank=True, max_length=254)


class PersonSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.get_full_name")
    email = serializers.EmailField(source="user.email")
    title = serializers.CharField(source="user.title")

    class Meta:
        model = Membership
        fields = ["id", "name", "email", "title", "position", "role"]
