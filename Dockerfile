# geofinder's application image: Debian 12's GDAL, GEOS and PROJ (GeoDjango) and the pinned
# requirements built in, the code, and gunicorn run by a user without privileges.
#   docker build -t geofinder .
#   docker run -e DATABASE_URL=postgis://… -e DJANGO_SECRET_KEY=… -p 8000:8000 geofinder
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/venv \
    PATH=/venv/bin:$PATH

# gdal-bin brings libgdal32, libgeos-c1v5 and libproj25 (what GeoDjango loads); postgresql-client
# for `manage.py dbshell` and pg_isready.
RUN apt-get update \
 && apt-get install -y --no-install-recommends gdal-bin postgresql-client \
 && rm -rf /var/lib/apt/lists/*

# The requirements first: the layer is rebuilt only when requirements.txt changes.
COPY requirements.txt /app/requirements.txt
RUN python -m venv /venv && pip install -r /app/requirements.txt

RUN useradd --system --create-home --home-dir /home/geofinder --uid 10001 geofinder
WORKDIR /app
COPY --chown=geofinder:geofinder . /app
# Static files collected at build time (WhiteNoise serves them); var/ is the app's writable room
# (reports; var/secrets: where compose keeps the secret key). The secret key comes from the
# environment or a file (DJANGO_SECRET_KEY_FILE).
RUN mkdir -p var/reports var/secrets \
 && DJANGO_SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(50))')" \
    python manage.py collectstatic --noinput -v 0 \
 && chown -R geofinder:geofinder var
USER geofinder

ENV GEOFINDER_DATA_DIR=/data DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
EXPOSE 8000
CMD ["gunicorn", "geofinder.wsgi", "--config", "gunicorn.conf.py", "--bind", "0.0.0.0:8000", \
     "--workers", "2", "--worker-class", "gthread", "--threads", "4", "--access-logfile", "-"]
