# The platform image: web (ASGI), worker and beat run from it with different commands.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app/frontend
COPY frontend/ ./
RUN if [ -f package.json ]; then npm ci && npm run build; else mkdir -p dist; fi

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=agent_platform.settings.base
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 1000 app
WORKDIR /app
COPY requirements.txt ./
RUN pip install -r requirements.txt
COPY --chown=app:app . .
COPY --from=frontend --chown=app:app /app/frontend/dist ./frontend/dist
RUN SECRET_KEY=build-only-collectstatic DEBUG=1 python manage.py collectstatic --noinput
USER app
EXPOSE 8000
CMD ["python", "-m", "agent_platform.web_process"]
