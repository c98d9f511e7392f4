from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .selectors import work_lists


@require_GET
def healthz(request):
    """200 with the database's answer; 503 where the database does not answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            database_ok = cursor.fetchone() == (1,)
    except Exception:  # noqa: BLE001 - any failure to reach the database is the answer
        database_ok = False
    return JsonResponse(
        {"status": "ok" if database_ok else "unavailable", "database": "ok" if database_ok else "unavailable"},
        status=200 if database_ok else 503,
    )


@login_required
@require_GET
def dashboard(request):
    return render(request, "home/dashboard.html", {"work": work_lists(request.user)})
