# The worker image: the package and its spaCy model in a virtualenv, run as a non-root user.
FROM python:3.11-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY stream ./stream
RUN python -m venv /opt/venv \
    && /opt/venv/bin/pip install --no-cache-dir --disable-pip-version-check .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 newswire
COPY --from=build /opt/venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    NEWSWIRE_WEB_HOST=0.0.0.0 \
    NEWSWIRE_DATA_DIR=/home/newswire/data
USER newswire
WORKDIR /home/newswire
EXPOSE 6066
ENTRYPOINT ["newswire"]
CMD ["worker"]
