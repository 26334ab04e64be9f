# One image for web (gunicorn), worker and beat (celery). Build: docker build -t ax-tracker .
# Front-end packages come from the npm registry in a build stage; no CDN at run time.

FROM node:20-slim AS frontend
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    NODE_MODULES_DIR=/app/node_modules \
    DJANGO_MEDIA_ROOT=/app/media \
    DJANGO_PRIVATE_MEDIA_ROOT=/app/private_media \
    PORT=8000

RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app

WORKDIR /app
# Dependencies first (pinned in pyproject.toml), so code changes reuse this layer.
COPY pyproject.toml README.md ./
RUN pip install .

COPY --from=frontend /build/node_modules /app/node_modules
COPY . .
# Catalogues are compiled (.po → .mo; the .mo files are not in git) and static files collected
# into the image, served by whitenoise; the build needs a throwaway key because production
# settings refuse to start without one.
RUN pybabel -q compile -d locale -D django \
    && DJANGO_SECRET_KEY=build-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz \
    DJANGO_ALLOWED_HOSTS=localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/private_media \
    && chown -R app:app /app/media /app/private_media

USER app
EXPOSE 8000
# docker-compose.yml overrides the command for the worker and beat services.
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
