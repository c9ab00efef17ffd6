from django.conf import settings


def site_shell(request):
    return {"demo_notice_enabled": settings.OVI_DEMO_NOTICE}
