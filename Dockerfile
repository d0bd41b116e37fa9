FROM python:3.11-slim
WORKDIR /app
COPY requirements.lock pyproject.toml ./
RUN pip install --no-cache-dir -r requirements.lock
COPY shared ./shared
COPY services ./services
RUN pip install --no-cache-dir --no-deps .
ENV TDKT_HOST=0.0.0.0
# Which service this container runs: registration, awards, reporting or console.
ENV SERVICE=registration
CMD ["sh", "-c", "exec python -m services.$SERVICE"]
