# One image for the three services and the console: the runtime's pins only (requirements.lock;
# tests and checks are in requirements-dev.lock), run as an unprivileged user.
FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY shared ./shared
COPY services ./services
RUN pip install --no-cache-dir --no-deps . && useradd --system --uid 10001 --home-dir /app tdkt
USER tdkt
ENV TDKT_HOST=0.0.0.0 TDKT_LOG_FORMAT=json
# Which service this container runs: registration, awards, reporting or console.
ENV SERVICE=registration
CMD ["sh", "-c", "exec python -m services.$SERVICE"]
