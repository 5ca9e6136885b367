# The worker image: the package and its spaCy model in a virtualenv, run as a non-root user.
#
#   docker build -t newswire-stream .
#   docker run --rm -e NEWSWIRE_BOOTSTRAP_SERVERS=kafka:9092 newswire-stream          # the worker
#   docker run --rm -i newswire-stream enrich - < seeds/kremlin-palmyra.json          # offline
#
# Settings are NEWSWIRE_* environment variables (see README.md).

# Build stage: deploy/install.sh is the same install the README and CI use.
FROM python:3.11-slim AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY stream ./stream
COPY deploy/install.sh ./deploy/install.sh
# The gazetteer and the first-name table are built once here, into the image (read-only
# at run time, as in k8s).
RUN deploy/install.sh /opt/venv \
    && /opt/venv/bin/python -c "from pathlib import Path; from stream.nlp.gazetteer import open_gazetteer; open_gazetteer(Path('/opt/venv/share/newswire'))" \
    && /opt/venv/bin/python -c "from stream.nlp.first_names import load_first_names; load_first_names('/opt/venv/share/newswire')"

# Final stage: the virtualenv only; no compilers, no sources, no pip cache.
FROM python:3.11-slim
RUN useradd --create-home --no-log-init --uid 10001 --user-group newswire \
    && mkdir -p /var/lib/newswire \
    && chown newswire:newswire /var/lib/newswire
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    NEWSWIRE_WEB_HOST=0.0.0.0 \
    NEWSWIRE_WEB_PORT=6066 \
    NEWSWIRE_DATA_DIR=/var/lib/newswire \
    NEWSWIRE_CACHE_DIR=/opt/venv/share/newswire \
    NEWSWIRE_LOG_FORMAT=json
USER 10001:10001
WORKDIR /var/lib/newswire
EXPOSE 6066
# Healthy = model loaded and input partitions assigned (a worker beyond the partition
# count stays unhealthy: it has nothing to do). The model takes a while to load.
HEALTHCHECK --interval=15s --timeout=5s --start-period=120s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('NEWSWIRE_WEB_PORT', '6066') + '/readyz', timeout=4)"]
ENTRYPOINT ["newswire"]
CMD ["worker"]
