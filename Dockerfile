# mock-salesforce as a container: slim Python, non-root, the demo org on port 8765.
#   docker build -t mock-salesforce .
#   docker run --rm -p 8765:8765 -e MOCK_SALESFORCE_CONTROL_TOKEN=s3cret mock-salesforce
# Serving on 0.0.0.0 needs a control token: /_mock then answers only requests that send it in
# X-Mock-Control-Token (/_mock/health stays open for health checks); the API needs none.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /src
COPY pyproject.toml README.md LICENSE ./
COPY mock_salesforce ./mock_salesforce
RUN pip install --quiet . && rm -rf /src \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin mock

USER mock
WORKDIR /home/mock

# Every option is also an environment variable; the base URL is what clients are told to use
# (token answers, identity URLs), so set it to the address your clients reach the container at.
# MOCK_SALESFORCE_CONTROL_TOKEN has no default: the container refuses to start without one.
ENV MOCK_SALESFORCE_HOST=0.0.0.0 \
    MOCK_SALESFORCE_PORT=8765 \
    MOCK_SALESFORCE_BASE_URL=http://localhost:8765
EXPOSE 8765

HEALTHCHECK --interval=5s --timeout=3s --start-period=5s --retries=5 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/_mock/health' % os.environ['MOCK_SALESFORCE_PORT'], timeout=2)"]

ENTRYPOINT ["python", "-m", "mock_salesforce"]
CMD ["serve", "--host", "0.0.0.0"]
