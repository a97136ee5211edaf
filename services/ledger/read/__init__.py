"""The read side: the JSON API dashboards read, and the dashboard itself."""
