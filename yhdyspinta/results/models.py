"""What staff add to the answers when they read them: tags and the review of open answers.

Nothing here points at a respondent: a review hangs on an answer, and an answer's response keeps
no link to the invitation or to a person.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from yhdyspinta.surveys.models import Answer, Survey


class Tag(models.Model):
    """A label for open answers: an interface theme or a free category of the survey's own."""

    class Kind(models.TextChoices):
        THEME = "theme", _("interface theme")
        CATEGORY = "category", _("category")

    survey = models.ForeignKey(
        Survey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="tags"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.CATEGORY)
    # For themes: the choice value of the survey's interface question, so tags and the
    # multiple-choice answers count the same theme.
    key = models.SlugField(_("key"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "kind", "name"], name="tag_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class AnswerReview(models.Model):
    """Staff's reading of one open answer: its tags and whether it may be quoted."""

    answer = models.OneToOneField(Answer, on_delete=models.CASCADE, related_name="review")
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="reviews")
    publishable = models.BooleanField(
        _("publishable quote"),
        default=False,
        help_text=_("Reviewed: may be quoted in the area report and exports."),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), auto_now=True)

    class Meta:
        verbose_name = _("review of an open answer")
        verbose_name_plural = _("reviews of open answers")

    def __str__(self) -> str:
        return f"review of answer {self.answer_id}"
