from django.http import FileResponse

from .models import Document


def download_response(document: Document) -> FileResponse:
    """The document's file as an attachment under the name it was given, never kept by a cache."""
    response = FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.file_name, content_type=document.content_type
    )
    response["Cache-Control"] = "no-store"
    return response
