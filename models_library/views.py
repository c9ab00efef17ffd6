"""Views of the library index page's routes: the listing and the comparison."""

from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from models_library import sections, selectors
from search.localization import LocalizedText, localized, text_language


def library_listing(request, index_page):
    listing = selectors.library_listing(request.GET, page_number=request.GET.get("page"), user=request.user)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    return TemplateResponse(
        request,
        "models_library/models_library_index_page.html",
        {
            "page": index_page,
            "self": index_page,
            "listing": listing,
            "sorts": selectors.SORTS,
            "query_without_page": query_without_page.urlencode(),
        },
    )


def compare_models(request, index_page):
    models = selectors.models_for_comparison(request.GET.getlist("m"), request.user)
    return TemplateResponse(
        request,
        "models_library/compare.html",
        {
            "page": index_page,
            "self": index_page,
            "models": models,
            "localized": selectors.localized_models([model.pk for model in models], request.user),
            "rows": comparison_rows(models),
            "too_few": len(models) < 2,
        },
    )


def comparison_rows(models):
    """The comparison table's rows. A cell is a LocalizedText where its text may be in
    another language than the page (a model's sections exist only in Finnish), so the
    template marks each such cell, and only those (WCAG 3.1.2)."""

    def text(attr):
        return [localized(model, attr) for model in models]

    def section_rows(place):
        """The rows of the description's sections compared at `place` (models_library.sections)."""
        return [
            {"label": str(section.label), "cells": text(section.field), "long": True}
            for section in sections.SECTIONS
            if section.compared == place
        ]

    def joined(texts, separator=", "):
        """Texts in one cell: marked with their language when they share one."""
        languages = {text_language(text) for text in texts}
        value = separator.join(texts)
        return (
            LocalizedText(value, languages.pop()) if len(languages) == 1 and None not in languages else value
        )

    return [
        {"label": _("Short description"), "cells": text("short_description")},
        {"label": _("Development stage"), "cells": [m.get_stage_display() for m in models]},
        {"label": _("Area"), "cells": [", ".join(selectors.area_names(m)) for m in models]},
        {
            "label": _("Target groups"),
            "cells": [", ".join(t.name for t in m.target_groups.all()) for m in models],
        },
        *section_rows(sections.COMPARE_WITH_DESCRIPTION),
        {"label": _("Process"), "steps": [list(m.steps.all()) for m in models]},
        {"label": _("Roles"), "cells": [joined([r.localized_name for r in m.roles.all()]) for m in models]},
        {
            "label": _("Key figures"),
            "cells": [
                joined(
                    [
                        LocalizedText(f"{f.value} {f.localized_label}", f.localized_label.lang)
                        for f in m.figures.all()
                    ],
                    "; ",
                )
                for m in models
            ],
        },
        {"label": _("Evaluation level"), "cells": [m.get_evidence_level_display() for m in models]},
        *section_rows(sections.COMPARE_WITH_RESULTS),
        {"label": _("Adoptions"), "cells": [", ".join(a.area for a in m.adoptions.all()) for m in models]},
    ]
