"""REST API of the app: read shapes and readers (serializers.py), viewsets (views.py)."""
