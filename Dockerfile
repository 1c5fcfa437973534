FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir uv
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN UV_PROJECT_ENVIRONMENT=/opt/venv uv sync --frozen --no-dev
ENV PATH="/opt/venv/bin:$PATH" PYTHONUNBUFFERED=1
COPY . .
# Production storage: hashed names and brotli/gzip copies that WhiteNoise serves (a DEBUG collect has no manifest).
RUN DEBUG=false SECRET_KEY=collectstatic-seulement ALLOWED_HOSTS=localhost python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "avenirpro.wsgi", "-b", "0.0.0.0:8000", "-w", "2"]
