# sendadmin image: gunicorn by default; the same image runs migrate, the Celery worker and beat.

# Stage 1: just the files the app needs (no .dockerignore: drop the npm build tree here).
FROM python:3.11-slim-bookworm AS source
WORKDIR /src
COPY pyproject.toml manage.py ./
COPY sendadmin ./sendadmin
COPY pupils ./pupils
COPY ehcp ./ehcp
COPY reviews ./reviews
COPY offer ./offer
COPY templates ./templates
COPY static ./static
RUN rm -rf static/build \
    && find . -name __pycache__ -prune -exec rm -rf {} +

# Stage 2: the runtime image.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PYTHONPATH=/app \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=sendadmin.settings.production \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/app/var/media

# WeasyPrint renders PDFs through Pango; fonts-liberation gives it metric-compatible fonts.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --home-dir /home/sendadmin --uid 10001 sendadmin

WORKDIR /app
COPY --from=source /src /app
# PYTHONPATH=/app makes /app the copy that is imported, so BASE_DIR finds templates/ and static/.
RUN pip install . \
    && rm -rf build ./*.egg-info

# Static files are baked into the image; the key only satisfies production settings at build time.
RUN SECRET_KEY=collectstatic-at-build-time-only ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --no-input \
    && mkdir -p /app/var/media \
    && chown -R sendadmin:sendadmin /app/var

USER sendadmin
EXPOSE 8000

CMD ["gunicorn", "sendadmin.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
