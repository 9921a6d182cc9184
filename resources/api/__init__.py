"""REST endpoints of the resources app: shared serializers, and the routes each capability owns."""
