"""Pages of forums and their meetings, and the iCalendar feeds."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from yhdyspinta.accounts import access as accounts_access
from yhdyspinta.accounts import permissions
from yhdyspinta.core.audit import history
from yhdyspinta.registry.models import Organisation

from . import access, calendar, services
from .forms import RULE_EXAMPLES, ActionForm, DocumentForm, ForumForm, MeetingForm, SeriesForm
from .models import CalendarFeed, Forum, Meeting
from .views import _action_owners, add_form_errors


def _conveners(user) -> list[Organisation]:
    """The organisations the user may convene a forum for."""
    if accounts_access.is_platform_admin(user):
        return list(Organisation.objects.areas().active().order_by("name")) + list(
            Organisation.objects.filter(
                kind__in=[Organisation.Kind.STATE_AUTHORITY, Organisation.Kind.OTHER]
            ).order_by("name")
        )
    ids = permissions.organisation_ids(user, editing=True)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def feed_url(request: HttpRequest, feed: CalendarFeed) -> str:
    return request.build_absolute_uri(feed.get_absolute_url())


@require_safe
def forum_list(request: HttpRequest) -> HttpResponse:
    forums = (
        access.readable_forums(request.user)
        .filter(archived_at__isnull=True)
        .select_related("area", "convener")
        .order_by("area__name", "name")
    )
    area_code = request.GET.get("area", "")
    if area_code:
        forums = forums.filter(area__code=area_code)
    return render(
        request,
        "cooperation/forum_list.html",
        {
            "national": [f for f in forums if f.area_id is None],
            "regional": [f for f in forums if f.area_id is not None],
            "can_add": access.can_add_forums(request.user),
            "nav": "cooperation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_create(request: HttpRequest) -> HttpResponse:
    conveners = _conveners(request.user)
    if not conveners:
        raise PermissionDenied(_("Only organisation editors and coordinators may set up forums."))
    area = None
    if request.GET.get("area"):
        area = accounts_access.get_area_for_user(request.user, request.GET["area"])
    elif conveners and not accounts_access.is_platform_admin(request.user):
        area_ids = sorted(conveners[0].area_ids())
        area = Organisation.objects.filter(pk__in=area_ids[:1]).first()
    form = ForumForm(
        request.POST or None,
        conveners=conveners,
        area=area,
        initial={"convener": area.pk if area in conveners else None, "is_standing": True},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            forum = services.create_forum(
                actor=request.user,
                area=area,
                member_organisations=data.pop("member_organisations"),
                members=data.pop("members"),
                **data,
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The forum was saved."))
            return redirect(forum)
    return render(
        request,
        "cooperation/forum_form.html",
        {"form": form, "forum": None, "area": area, "nav": "cooperation"},
    )


def _upcoming(forum: Forum):
    return forum.meetings.filter(ends_at__gte=timezone.now()).order_by("starts_at")


@require_safe
def forum_detail(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk)
    can_edit = access.can_edit_forum(request.user, forum)
    meetings = list(forum.meetings.order_by("starts_at"))
    now = timezone.now()
    feed = services.feed_for(forum=forum) if request.user.is_authenticated else None
    return render(
        request,
        "cooperation/forum_detail.html",
        {
            "forum": forum,
            "area": forum.area,
            "upcoming": [m for m in meetings if m.ends_at >= now],
            "past": [m for m in meetings if m.ends_at < now][::-1],
            "members": forum.members.order_by("last_name", "first_name")
            if request.user.is_authenticated
            else [],
            "member_organisations": forum.member_organisations.order_by("name"),
            "can_edit": can_edit and not forum.archived_at,
            "feed_url": feed_url(request, feed) if feed else None,
            "history": history(forum)[:50] if can_edit else None,
            "nav": "cooperation",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def forum_edit(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk, edit=True)
    conveners = _conveners(request.user)
    if forum.convener not in conveners:
        conveners.append(forum.convener)
    initial = {
        name: getattr(forum, name)
        for name in (
            "name_fi", "name_sv", "name_en", "description_fi", "description_sv",
            "description_en", "level", "is_standing", "starts_on", "ends_on", "is_public",
        )
    }  # fmt: skip
    initial |= {
        "convener": forum.convener_id,
        "member_organisations": list(forum.member_organisations.values_list("pk", flat=True)),
        "members": list(forum.members.values_list("pk", flat=True)),
    }
    form = ForumForm(request.POST or None, conveners=conveners, area=forum.area, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.update_forum(
                actor=request.user,
                forum=forum,
                member_organisations=data.pop("member_organisations"),
                members=data.pop("members"),
                **data,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, PermissionDenied):
                form.add_error("convener", str(error))
            else:
                add_form_errors(form, error)
        else:
            messages.success(request, _("The forum was saved."))
            return redirect(forum)
    return render(
        request,
        "cooperation/forum_form.html",
        {"form": form, "forum": forum, "area": forum.area, "nav": "cooperation"},
    )


@login_required
@require_POST
def forum_archive(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk, edit=True)
    if request.POST.get("delete") == "1":
        try:
            services.delete(actor=request.user, obj=forum)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(forum)
        messages.success(request, _("The forum was deleted."))
        return redirect("cooperation:forums")
    services.archive(actor=request.user, obj=forum)
    messages.success(request, _("The forum was archived."))
    return redirect(forum)


@login_required
@require_POST
def forum_feed_renew(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk, edit=True)
    services.regenerate_feed(actor=request.user, forum=forum)
    messages.success(request, _("The calendar address was renewed; the old one no longer works."))
    return redirect(forum)


# --- Meetings -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk, edit=True)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.add_meeting(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request,
        "cooperation/meeting_form.html",
        {"form": form, "forum": forum, "meeting": None, "nav": "cooperation"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def series_create(request: HttpRequest, pk: int) -> HttpResponse:
    forum = access.get_forum_for_user(request.user, pk, edit=True)
    form = SeriesForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meetings = services.add_series(actor=request.user, forum=forum, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(
                request, _("%(count)s meetings were added.") % {"count": len(meetings)}
            )
            return redirect(forum)
    return render(
        request,
        "cooperation/series_form.html",
        {"form": form, "forum": forum, "examples": RULE_EXAMPLES, "nav": "cooperation"},
    )


def meeting_page(
    request: HttpRequest, meeting: Meeting, *, status: int = 200, **forms_
) -> HttpResponse:
    forum = meeting.forum
    can_edit = access.can_edit_forum(request.user, forum)
    editable = can_edit and not forum.archived_at
    signed_in = request.user.is_authenticated
    context = {
        "meeting": meeting,
        "forum": forum,
        "area": forum.area,
        "documents": meeting.documents.defer("content"),
        # A public forum's meetings are public; action items are for its people.
        "actions": meeting.actions.select_related("owner_organisation", "owner_person")
        if signed_in
        and (not forum.is_public or can_edit or access.can_read_forum(request.user, forum))
        else [],
        "can_edit": editable,
        "document_form": DocumentForm() if editable else None,
        "action_form": ActionForm(organisations=_action_owners(meeting)) if editable else None,
        "history": history(meeting)[:50] if can_edit else None,
        "today": timezone.localdate(),
        "nav": "cooperation",
    }
    context.update(forms_)
    return render(request, "cooperation/meeting_detail.html", context, status=status)


@require_safe
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return meeting_page(request, access.get_meeting_for_user(request.user, pk))


@login_required
@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    initial = {
        name: getattr(meeting, name)
        for name in (
            "title_fi", "title_sv", "title_en", "place", "online_url", "agenda", "minutes",
            "decisions",
        )
    }  # fmt: skip
    initial["starts_at"] = timezone.localtime(meeting.starts_at)
    initial["ends_at"] = timezone.localtime(meeting.ends_at)
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_meeting(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect(meeting)
    return render(
        request,
        "cooperation/meeting_form.html",
        {"form": form, "forum": meeting.forum, "meeting": meeting, "nav": "cooperation"},
    )


@login_required
@require_POST
def meeting_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = access.get_meeting_for_user(request.user, pk, edit=True)
    services.cancel_meeting(actor=request.user, meeting=meeting)
    messages.success(request, _("The meeting was cancelled and the members were told."))
    return redirect(meeting)


# --- iCalendar ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_calendar(request: HttpRequest) -> HttpResponse:
    """The person's own feed: the meetings of every forum they are a member of."""
    if request.method == "POST":
        services.regenerate_feed(actor=request.user)
        messages.success(
            request, _("The calendar address was renewed; the old one no longer works.")
        )
        return redirect("cooperation:my_calendar")
    feed = services.feed_for(user=request.user)
    meetings = (
        Meeting.objects.filter(forum__members=request.user, ends_at__gte=timezone.now())
        .select_related("forum")
        .order_by("starts_at")[:50]
    )
    return render(
        request,
        "cooperation/my_calendar.html",
        {"feed_url": feed_url(request, feed), "meetings": meetings, "nav": "cooperation"},
    )


@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed behind a secret address; calendar programs cannot sign in."""
    feed = CalendarFeed.objects.select_related("forum", "user").filter(token=token).first()
    if feed is None:
        raise Http404("No such calendar.")
    if feed.forum is not None:
        meetings = feed.forum.meetings.select_related("forum")
        name = feed.forum.name
    else:
        if not feed.user.is_active:
            raise Http404("No such calendar.")
        meetings = Meeting.objects.filter(forum__members=feed.user).select_related("forum")
        name = _("Yhdyspinta: my meetings")
    body = calendar.calendar(meetings.order_by("starts_at"), name=name)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="yhdyspinta.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


def calendar_url(feed: CalendarFeed) -> str:
    return reverse("calendar-feed", args=[feed.token])
