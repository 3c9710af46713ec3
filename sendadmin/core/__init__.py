"""The application shell: home pages, health, error pages and shared template helpers."""
