"""OPTIONS answers: what the endpoint is and which media types it takes, not DRF's form description.

DRF's default describes a POST/PUT by instantiating the view's `serializer_class`; our views name
their input serializers per action (`self.validated(Input, …)`), so that introspection failed with a
500. The OpenAPI schema at /api/schema/ is the description of every operation."""

from rest_framework.metadata import BaseMetadata


class EndpointMetadata(BaseMetadata):
    def determine_metadata(self, request, view) -> dict:
        return {
            "name": view.get_view_name(),
            "renders": [renderer.media_type for renderer in view.renderer_classes],
            "parses": [parser.media_type for parser in view.parser_classes],
            "schema": "/api/schema/",
        }
