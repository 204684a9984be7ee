# leafwright in a container: `docker run --rm -v "$PWD:/work" leafwright build`
# (the current folder, with its leaflets/ and styles/, is the project; PDFs go to out/).
# Fonts come with the Python packages (fontpkg-atkinson-hyperlegible, fontpkg-noto-sans).

FROM python:3.12-slim AS build
WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
RUN pip wheel --no-cache-dir --wheel-dir /wheels .

FROM python:3.12-slim
LABEL org.opencontainers.image.title="leafwright" \
      org.opencontainers.image.description="YAML patient leaflets into accessible, branded, print-ready PDFs" \
      org.opencontainers.image.licenses="MIT"
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir --no-index --find-links=/wheels /wheels/leafwright-*.whl \
    && rm -rf /wheels \
    && useradd --create-home --uid 10001 leafwright
USER 10001
WORKDIR /work
ENTRYPOINT ["leafwright"]
CMD ["build"]
