from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Organisation, Region


@admin.register(Region)
class RegionAdmin(TranslationAdmin):
    list_display = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(TranslationAdmin):
    list_display = ["name", "kind", "code", "area", "region", "ended_on"]
    list_filter = ["kind", "source"]
    search_fields = ["name_fi", "name_sv", "name_en", "code"]
    raw_id_fields = ["area", "successor"]
