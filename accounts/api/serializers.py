from rest_framework import serializers


class WorkspaceMembershipOutput(serializers.Serializer):
    id = serializers.IntegerField(source="workspace.id")
    name = serializers.CharField(source="workspace.name")
    slug = serializers.CharField(source="workspace.slug")
    time_zone = serializers.CharField(source="workspace.time_zone")
    role = serializers.CharField()
